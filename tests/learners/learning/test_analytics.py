import pytest
from django.urls import reverse

from learners.learning import selectors, services
from tests.factories.courses import course_with_lessons
from tests.factories.learners import UserFactory, sign_in_with_second_factor
from tests.factories.learning import read_all_lessons

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = course_with_lessons(lessons=2)
    finisher, dropper, answerer = UserFactory(), UserFactory(), UserFactory()
    for user in (finisher, dropper, answerer):
        services.enrolment_create(user=user, course=course)
    read_all_lessons(user=finisher, course=course)
    services.assessment_submit(
        user=finisher, assessment=course.assessment(), answers={"q1": ["a"], "q2": ["b"]}
    )
    first = course.lessons().first()
    services.lesson_experience(user=dropper, lesson=first)
    services.knowledge_check_answer(user=dropper, lesson=first, block_id="kc1", chosen=["b"])
    services.knowledge_check_answer(user=answerer, lesson=first, block_id="kc1", chosen=["a"])
    return course


def test_course_analytics_from_statements(course):
    stats = selectors.course_analytics(course=course)
    assert stats["enrolments"] == 3
    assert stats["completions"] == 1
    assert stats["completion_rate"] == 33
    assert [step["learners"] for step in stats["funnel"]] == [2, 1, 1]
    check = next(q for q in stats["questions"] if q.block_id == "kc1")
    assert check.total == 2
    assert [(text, count, percent) for text, _, count, percent in check.options] == [
        ("Right", 1, 50),
        ("Wrong", 1, 50),
    ]
    q2 = next(q for q in stats["questions"] if q.block_id == "q2")
    assert [count for _, _, count, _ in q2.options] == [0, 1]


def test_editors_see_course_analytics_in_the_admin(client, course):
    editor = UserFactory(roles=["Editors"])  # Wagtail's Editors group: page permissions
    sign_in_with_second_factor(client, editor)
    response = client.get(reverse("course_analytics"))
    assert response.status_code == 200
    assert course.title in response.content.decode()
    response = client.get(reverse("course_analytics_detail", args=[course.pk]))
    assert response.status_code == 200
    assert "Drop-off by lesson" in response.content.decode()


def test_learners_cannot_see_course_analytics(client, course):
    client.force_login(UserFactory())
    response = client.get(reverse("course_analytics_detail", args=[course.pk]))
    assert response.status_code in (302, 403)
