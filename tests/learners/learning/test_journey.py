import pytest
from django.urls import reverse

from learners.learning import selectors
from learners.learning import xapi as course_statements
from learners.learning.models import Certificate, Enrolment
from learners.lrs.models import Statement
from tests.factories.courses import SkillFactory, course_with_lessons
from tests.factories.learners import UserFactory

pytestmark = pytest.mark.django_db


def test_course_journey_enrol_read_answer_pass_complete(client):
    course = course_with_lessons(skills=[(SkillFactory(), 2)])
    lessons = list(course.lessons())
    assessment = course.assessment()
    user = UserFactory()
    client.force_login(user)

    response = client.get(course.url)
    assert response.status_code == 200
    assert b"Enrol on this course" in response.content

    response = client.post(reverse("learners:enrol", args=[course.pk]))
    assert response.status_code == 302
    assert response["Location"] == lessons[0].url
    enrolment = Enrolment.objects.get(user=user, course=course)
    assert (
        Statement.objects.filter(
            verb_id=course_statements.LAUNCHED, registration=enrolment.registration
        ).count()
        == 1
    )

    for lesson in lessons:
        assert client.get(lesson.url).status_code == 200
    client.get(lessons[0].url)  # a second visit records nothing new
    assert Statement.objects.filter(verb_id=course_statements.EXPERIENCED).count() == 3

    response = client.post(
        reverse("learners:knowledge_check", args=[lessons[0].pk, "kc1"]), {"answer": "a"}
    )
    assert response.status_code == 302
    page = client.get(lessons[0].url)
    assert b"Correct." in page.content

    page = client.get(assessment.url)
    assert b"Submit your answers" in page.content
    response = client.post(
        reverse("learners:assessment_submit", args=[assessment.pk]),
        {"question-q1": "a", "question-q2": "a"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("learners:assessment_result", args=[assessment.pk])
    assert b"You passed" in client.get(response["Location"]).content
    assert Statement.objects.filter(verb_id=course_statements.PASSED).count() == 1
    assert Statement.objects.filter(verb_id=course_statements.COMPLETED).count() == 1
    certificate = Certificate.objects.get(user=user, course=course)
    progress = selectors.course_progress(user=user, course=course)
    assert progress.completed and progress.percent == 100
    verify = client.get(
        reverse("learners:certificate_verify", args=[certificate.verification_code])
    )
    assert verify.status_code == 200
    dashboard = client.get(reverse("learners:dashboard"))
    assert course.title.encode() in dashboard.content
