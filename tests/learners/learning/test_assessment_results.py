"""After an assessment: a results page reached by Post/Redirect/Get, with per-question feedback
and, once no attempt is left, what to do next."""

import pytest
from django.urls import reverse

from learners.learning import services
from learners.learning import xapi as course_statements
from learners.lrs.models import Statement
from tests.factories.courses import SkillFactory, course_with_lessons
from tests.factories.learners import UserFactory
from tests.factories.learning import read_all_lessons

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def ready(learner):
    """A course whose lessons the learner has read: the assessment is open (2 attempts)."""
    skill = SkillFactory(name="Data ethics")
    course = course_with_lessons(lessons=2, title="Ethics basics", skills=[(skill, 2)])
    services.enrolment_create(user=learner, course=course)
    read_all_lessons(user=learner, course=course)
    return course


def _submit(client, assessment, q1, q2):
    return client.post(
        reverse("learners:assessment_submit", args=[assessment.pk]),
        {"question-q1": q1, "question-q2": q2},
    )


def test_submitting_redirects_to_a_results_page_that_survives_a_reload(client, ready):
    assessment = ready.assessment()
    result_url = reverse("learners:assessment_result", args=[assessment.pk])

    response = _submit(client, assessment, "a", "b")
    first = client.get(result_url)
    reload = client.get(result_url)

    assert response.status_code == 302 and response["Location"] == result_url
    assert first.status_code == reload.status_code == 200
    assert first.text == reload.text
    assert Statement.objects.filter(verb_id=course_statements.PASSED).count() == 1


def test_results_show_score_pass_mark_and_each_question_with_its_feedback(client, ready):
    assessment = ready.assessment()

    _submit(client, assessment, "a", "b")
    html = client.get(reverse("learners:assessment_result", args=[assessment.pk])).text

    assert "You passed" in html
    assert "50% (1 of 2 questions right)" in html
    assert 'Pass mark</dt><dd class="govuk-summary-list__value">50%' in html
    assert html.count('govuk-tag--green">Right</strong>') == 1
    assert html.count('govuk-tag--red">Not right</strong>') == 1
    assert "First question" in html and "Second question" in html
    assert "Yes: that is right." in html  # the feedback written for the right option
    assert '<p class="govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-0">No.</p>' in html


def test_a_failed_attempt_with_attempts_left_offers_another_try(client, ready):
    assessment = ready.assessment()

    _submit(client, assessment, "b", "b")
    html = client.get(reverse("learners:assessment_result", args=[assessment.pk])).text

    assert "You did not pass this time" in html
    assert "You have 1 attempt left" in html
    assert "Try the assessment again" in html


def test_after_the_last_failed_attempt_the_learner_is_told_what_to_do_next(client, ready):
    assessment = ready.assessment()
    other = course_with_lessons(
        lessons=1, title="More data ethics", skills=[(ready.course_skills.get().skill, 1)]
    )

    _submit(client, assessment, "b", "b")
    _submit(client, assessment, "b", "b")
    html = client.get(reverse("learners:assessment_result", args=[assessment.pk])).text
    dashboard = client.get(reverse("learners:dashboard")).text
    course_page = client.get(ready.url).text

    assert "You have used all 2 attempts" in html
    assert "Try the assessment again" not in html
    for lesson in ready.lessons():
        assert f'href="{lesson.url}"' in html
    assert f'href="{other.url}">More data ethics</a>' in html
    assert "Continue with ‘Assessment’" not in dashboard
    assert "See your results and what to do next" in dashboard
    assert reverse("learners:assessment_result", args=[assessment.pk]) in dashboard
    assert "Continue the course" not in course_page
    assert "See your results and what to do next" in course_page


def test_results_before_any_attempt_go_to_the_assessment(client, ready):
    assessment = ready.assessment()

    response = client.get(reverse("learners:assessment_result", args=[assessment.pk]))

    assert response.status_code == 302 and response["Location"] == assessment.url


def test_results_are_the_learners_own(client, ready):
    assessment = ready.assessment()
    _submit(client, assessment, "a", "a")
    client.force_login(UserFactory())

    response = client.get(reverse("learners:assessment_result", args=[assessment.pk]))

    assert response.status_code == 302 and response["Location"] == assessment.url


def test_results_need_sign_in(client, ready):
    client.logout()

    response = client.get(reverse("learners:assessment_result", args=[ready.assessment().pk]))

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_get_of_a_form_address_redirects_instead_of_405(client, ready):
    assessment = ready.assessment()
    lesson = ready.lessons().first()

    submit = client.get(reverse("learners:assessment_submit", args=[assessment.pk]))
    check = client.get(reverse("learners:knowledge_check", args=[lesson.pk, "kc1"]))
    enrol = client.get(reverse("learners:enrol", args=[ready.pk]))

    assert (submit.status_code, submit["Location"]) == (302, assessment.url)
    assert (check.status_code, check["Location"]) == (302, f"{lesson.url}#check-kc1-heading")
    assert (enrol.status_code, enrol["Location"]) == (302, ready.url)
    assert not Statement.objects.filter(verb_id=course_statements.ANSWERED).exists()


def test_other_methods_on_form_addresses_are_still_refused(client, ready):
    response = client.put(reverse("learners:assessment_submit", args=[ready.assessment().pk]))

    assert response.status_code == 405
