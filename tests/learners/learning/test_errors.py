import pytest
from django.urls import reverse

from learners.learning import services
from learners.learning import xapi as course_statements
from learners.learning.models import Enrolment
from learners.lrs.models import Statement
from tests.factories.courses import course_with_lessons
from tests.factories.learners import UserFactory
from tests.factories.learning import read_all_lessons

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def enrolled(learner):
    course = course_with_lessons(lessons=2)
    services.enrolment_create(user=learner, course=course)
    return course


def test_enrol_on_closed_course_is_refused_with_a_message(client, learner):
    course = course_with_lessons(lessons=1, enrolment_open=False)
    response = client.post(reverse("learners:enrol", args=[course.pk]))
    assert response.status_code == 400
    assert services.COURSE_CLOSED in response.content.decode()
    assert not Enrolment.objects.exists()
    assert not Statement.objects.exists()
    assert "not taking new enrolments" in client.get(course.url).content.decode()


def test_enrol_twice_keeps_one_enrolment_and_one_launch(client, learner):
    course = course_with_lessons(lessons=1)
    client.post(reverse("learners:enrol", args=[course.pk]))
    client.post(reverse("learners:enrol", args=[course.pk]))
    assert Enrolment.objects.count() == 1
    assert Statement.objects.filter(verb_id=course_statements.LAUNCHED).count() == 1


def test_enrol_requires_sign_in(client):
    course = course_with_lessons(lessons=1)
    response = client.post(reverse("learners:enrol", args=[course.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Enrolment.objects.exists()


def test_unanswered_knowledge_check_shows_error_summary(client, enrolled):
    lesson = enrolled.lessons().first()
    before = Statement.objects.count()
    response = client.post(reverse("learners:knowledge_check", args=[lesson.pk, "kc1"]), {})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#check-kc1-1"' in html
    assert services.ANSWER_MISSING in html
    assert 'aria-describedby="check-kc1-error"' in html or "check-kc1-error" in html
    assert Statement.objects.count() == before


@pytest.mark.parametrize(
    ("block_id", "answer"),
    [("kc1", "z"), ("no-such-check", "a"), ("kc1", ["a", "b"])],
)
def test_tampered_knowledge_check_changes_nothing(client, enrolled, block_id, answer):
    lesson = enrolled.lessons().first()
    before = Statement.objects.count()
    response = client.post(
        reverse("learners:knowledge_check", args=[lesson.pk, block_id]), {"answer": answer}
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert Statement.objects.count() == before


def test_wrong_knowledge_check_answer_shows_its_feedback(client, enrolled):
    lesson = enrolled.lessons().first()
    client.post(reverse("learners:knowledge_check", args=[lesson.pk, "kc1"]), {"answer": "b"})
    html = client.get(lesson.url).content.decode()
    assert "Not quite." in html
    statement = Statement.objects.get(verb_id=course_statements.ANSWERED)
    assert statement.result_success is False
    assert statement.exact_json()["result"]["response"] == "b"


def test_assessment_waits_for_every_lesson(client, learner, enrolled):
    assessment = enrolled.assessment()
    response = client.post(
        reverse("learners:assessment_submit", args=[assessment.pk]),
        {"question-q1": "a", "question-q2": "a"},
    )
    assert response.status_code == 400
    assert services.LESSONS_FIRST in response.content.decode()
    assert not Statement.objects.filter(verb_id=course_statements.PASSED).exists()


def test_unanswered_assessment_question_is_named_in_error_summary(client, learner, enrolled):
    read_all_lessons(user=learner, course=enrolled)
    assessment = enrolled.assessment()
    before = Statement.objects.count()
    response = client.post(
        reverse("learners:assessment_submit", args=[assessment.pk]), {"question-q1": "a"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#question-q2-1"' in html
    assert "Select an answer to question" in html
    # the answer already given is kept
    assert 'value="a" checked' in html
    assert Statement.objects.count() == before


@pytest.mark.parametrize(
    "data",
    [
        {"question-q1": "a", "question-q2": "a", "question-extra": "a"},
        {"question-q1": "z", "question-q2": "a"},
    ],
)
def test_tampered_assessment_changes_nothing(client, learner, enrolled, data):
    read_all_lessons(user=learner, course=enrolled)
    before = Statement.objects.count()
    response = client.post(
        reverse("learners:assessment_submit", args=[enrolled.assessment().pk]), data
    )
    assert response.status_code == 400
    assert services.ASSESSMENT_TAMPERED in response.content.decode()
    assert Statement.objects.count() == before


def test_attempts_run_out_after_the_allowed_number(client, learner, enrolled):
    read_all_lessons(user=learner, course=enrolled)
    assessment = enrolled.assessment()
    url = reverse("learners:assessment_submit", args=[assessment.pk])
    for _ in range(assessment.attempts_allowed):
        response = client.post(url, {"question-q1": "b", "question-q2": "b"}, follow=True)
        assert response.redirect_chain[0][1] == 302
        assert "0% (0 of 2 questions right)" in response.content.decode()
    response = client.post(url, {"question-q1": "a", "question-q2": "a"})
    assert response.status_code == 400
    assert "You have used all 2 attempts" in response.content.decode()
    assert Statement.objects.filter(verb_id=course_statements.FAILED).count() == 2
    assert not Statement.objects.filter(verb_id=course_statements.PASSED).exists()
    page = client.get(assessment.url).content.decode()
    assert "Submit your answers" not in page
    assert "You have used all 2 attempts" in page


def test_failed_then_passed_records_scaled_scores(client, learner, enrolled):
    read_all_lessons(user=learner, course=enrolled)
    url = reverse("learners:assessment_submit", args=[enrolled.assessment().pk])
    client.post(url, {"question-q1": "a", "question-q2": "b"})  # 50% passes at pass mark 50
    scores = list(
        Statement.objects.filter(verb_id=course_statements.PASSED).values_list(
            "result_score_scaled", flat=True
        )
    )
    assert scores == [0.5]
    response = client.post(url, {"question-q1": "a", "question-q2": "a"})
    assert response.status_code == 400
    assert services.ALREADY_PASSED in response.content.decode()


def test_not_enrolled_learner_cannot_answer_or_submit(client, learner):
    course = course_with_lessons(lessons=1)
    lesson = course.lessons().first()
    response = client.post(
        reverse("learners:knowledge_check", args=[lesson.pk, "kc1"]), {"answer": "a"}
    )
    assert response.status_code == 400
    response = client.post(
        reverse("learners:assessment_submit", args=[course.assessment().pk]),
        {"question-q1": "a", "question-q2": "a"},
    )
    assert response.status_code == 400
    assert not Statement.objects.exists()
    client.get(lesson.url)
    assert not Statement.objects.exists()  # reading without enrolling records nothing
