import json

import pytest
from django.urls import reverse

from learners.learning import selectors, services
from learners.learning import xapi as course_statements
from tests.factories.courses import course_with_lessons
from tests.factories.learners import UserFactory
from tests.factories.learning import read_all_lessons, store_external

pytestmark = pytest.mark.django_db


def test_progress_counts_statements_from_external_content():
    course = course_with_lessons(lessons=3)
    user = UserFactory()
    services.enrolment_create(user=user, course=course)
    first, second, third = course.lessons()
    store_external(
        user=user,
        verb=course_statements.COMPLETED,
        activity_id=course_statements.lesson_iri(second),
    )
    store_external(
        user=user,
        verb=course_statements.EXPERIENCED,
        activity_id=course_statements.lesson_iri(third),
        completion=False,
    )
    progress = selectors.course_progress(user=user, course=course)
    assert progress.done_ids == {second.pk}
    assert progress.percent == 25  # one of three lessons and the assessment


def test_someone_elses_statements_do_not_count():
    course = course_with_lessons(lessons=1)
    user, other = UserFactory(), UserFactory()
    services.enrolment_create(user=user, course=course)
    read_all_lessons(user=other, course=course)  # not enrolled: nothing recorded
    store_external(
        user=other,
        verb=course_statements.COMPLETED,
        activity_id=course_statements.lesson_iri(course.lessons().first()),
    )
    assert selectors.course_progress(user=user, course=course).done_ids == set()


def test_resume_goes_to_the_first_unfinished_lesson_after_the_last_seen():
    course = course_with_lessons(lessons=4)
    user = UserFactory()
    services.enrolment_create(user=user, course=course)
    lessons = list(course.lessons())
    assert selectors.course_progress(user=user, course=course).resume_page == lessons[0]
    services.lesson_experience(user=user, lesson=lessons[0])
    services.lesson_experience(user=user, lesson=lessons[2])
    progress = selectors.course_progress(user=user, course=course)
    assert progress.resume_page == lessons[3]
    services.lesson_experience(user=user, lesson=lessons[3])
    assert selectors.course_progress(user=user, course=course).resume_page == lessons[1]
    services.lesson_experience(user=user, lesson=lessons[1])
    assert selectors.course_progress(user=user, course=course).resume_page == course.assessment()


def test_enrol_then_resume_link_on_course_page(client):
    course = course_with_lessons(lessons=2)
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("learners:enrol", args=[course.pk]))
    first, second = course.lessons()
    client.get(first.url)
    html = client.get(course.url).content.decode()
    assert "Continue the course" in html
    assert f'href="{second.url}"' in html
    assert "33% complete" in html


def test_dashboard_lists_progress_resume_and_completed(client):
    done = course_with_lessons(lessons=1, title="Finished course")
    going = course_with_lessons(lessons=2, title="Current course")
    user = UserFactory()
    client.force_login(user)
    for course in (done, going):
        services.enrolment_create(user=user, course=course)
    read_all_lessons(user=user, course=done)
    services.assessment_submit(
        user=user, assessment=done.assessment(), answers={"q1": ["a"], "q2": ["a"]}
    )
    services.lesson_experience(user=user, lesson=going.lessons().first())
    response = client.get(reverse("learners:dashboard"))
    board = response.context["dashboard"]
    assert [p.course.title for p in board.in_progress] == ["Current course"]
    assert [p.course.title for p in board.completed] == ["Finished course"]
    assert len(board.certificates) == 1
    html = response.content.decode()
    assert "33% complete" in html
    assert going.lessons().last().url in html


def test_learning_record_shows_and_downloads_only_my_statements(client):
    course = course_with_lessons(lessons=1)
    user, other = UserFactory(), UserFactory()
    services.enrolment_create(user=user, course=course)
    services.enrolment_create(user=other, course=course)
    services.lesson_experience(user=user, lesson=course.lessons().first())
    client.force_login(user)
    page = client.get(reverse("learners:learning_record"))
    assert page.status_code == 200
    assert len(page.context["rows"]) == 2
    assert "Experienced" in page.content.decode()
    download = client.get(reverse("learners:learning_record_download"))
    assert download["Content-Disposition"].startswith("attachment;")
    statements = json.loads(download.content)["statements"]
    assert len(statements) == 2
    names = {s["actor"]["account"]["name"] for s in statements}
    assert names == {str(user.learner_id)}


def test_progress_is_completed_only_with_lessons_and_a_pass():
    course = course_with_lessons(lessons=1)
    user = UserFactory()
    services.enrolment_create(user=user, course=course)
    assert services.course_complete_if_done(user=user, course=course) is None
    read_all_lessons(user=user, course=course)
    assert not selectors.course_progress(user=user, course=course).completed
    services.assessment_submit(
        user=user, assessment=course.assessment(), answers={"q1": ["a"], "q2": ["a"]}
    )
    progress = selectors.course_progress(user=user, course=course)
    assert progress.completed and progress.certificate is not None


@pytest.mark.django_db
def test_dashboard_names_the_signed_in_person_and_never_shows_their_email(client):
    client.force_login(UserFactory(first_name="Kofi", last_name="Mensah"))
    html = client.get(reverse("learners:dashboard")).content.decode()
    assert '<span class="govuk-caption-l">Kofi Mensah</span>' in html

    client.force_login(UserFactory(first_name="", last_name="", email="anon@ons.gov.uk"))
    html = client.get(reverse("learners:dashboard")).content.decode()
    assert "anon@ons.gov.uk" not in html
