"""Pages read progress from statements on every request: caches of the curriculum's structure
never carry one learner's progress to another, and statements posted by external xAPI content
show on the next request.
"""

import pytest
from django.urls import reverse

from learners.learning import services
from learners.learning import xapi as course_statements
from tests.factories.courses import course_with_lessons
from tests.factories.learners import UserFactory
from tests.factories.learning import store_external

pytestmark = pytest.mark.django_db


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_external_statement_shows_on_the_next_lesson_and_dashboard_request(client):
    course = course_with_lessons(lessons=3)
    user = UserFactory()
    services.enrolment_create(user=user, course=course)
    client.force_login(user)
    first, second, third = course.lessons()
    assert "25% complete" in page(client, first.url)  # reading it counts: 1 of 4 steps
    assert "25% complete" in page(client, reverse("learners:dashboard"))

    store_external(
        user=user,
        verb=course_statements.COMPLETED,
        activity_id=course_statements.lesson_iri(third),
    )
    assert "50% complete" in page(client, first.url)
    dashboard = page(client, reverse("learners:dashboard"))
    assert "50% complete" in dashboard
    assert f"Continue with ‘{second.title}’" in dashboard


def test_a_new_answer_shows_on_the_next_lesson_request(client):
    course = course_with_lessons(lessons=1)
    lesson = course.lessons().first()
    user = UserFactory()
    services.enrolment_create(user=user, course=course)
    client.force_login(user)
    assert "checked" not in page(client, lesson.url)

    services.knowledge_check_answer(user=user, lesson=lesson, block_id="kc1", chosen=["a"])
    assert 'value="a" checked' in page(client, lesson.url)


def test_learners_see_only_their_own_progress_on_shared_pages(client):
    course = course_with_lessons(lessons=2)
    first, second = course.lessons()
    keen, new = UserFactory(), UserFactory()
    for user in (keen, new):
        services.enrolment_create(user=user, course=course)
    client.force_login(keen)
    page(client, first.url)
    page(client, second.url)
    assert "67% complete" in page(client, reverse("learners:dashboard"))
    services.knowledge_check_answer(user=keen, lesson=first, block_id="kc1", chosen=["a"])
    assert 'value="a" checked' in page(client, first.url)

    client.force_login(new)
    dashboard = page(client, reverse("learners:dashboard"))
    assert "0% complete" in dashboard
    assert "67% complete" not in dashboard
    assert "checked" not in page(client, first.url)
    assert "33% complete" in page(client, first.url)


def test_the_lesson_hook_hands_its_progress_to_the_template_through_the_context(client):
    course = course_with_lessons(lessons=2)
    lesson = course.lessons().first()
    user = UserFactory()
    services.enrolment_create(user=user, course=course)
    client.force_login(user)

    response = client.get(lesson.url)

    memo = response.context["learning_memo"]
    progress = memo[("progress", course.pk)]
    assert progress.enrolled and lesson.pk in progress.done_ids
    assert memo[("answers", lesson.pk)] == {}
    assert response.context["progress"] is progress
    assert not hasattr(response.wsgi_request, "_learning_cache")
