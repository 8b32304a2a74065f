"""The pages the benchmark measures run a fixed number of SQL queries, however many courses,
lessons, enrolments or statements there are: with the structure cache (courses.cache) warm,
and cold (just after a publish, or with an empty cache).
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learners.learning import services
from tests.factories.courses import SkillFactory, catalogue, course_with_lessons
from tests.factories.learners import UserFactory
from tests.factories.learning import read_all_lessons

pytestmark = pytest.mark.django_db


def count_queries(client, url) -> tuple[int, int]:
    """(queries with the caches cold, queries with them warm) of one page."""
    client.get(url)  # record what a first visit records (a lesson read), warm content types
    counts = []
    for _ in range(2):
        if not counts:
            cache.clear()  # a new structure token: every cached entry is missed
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    return tuple(counts)


def test_catalogue_queries_do_not_grow_with_courses(client):
    catalogue()
    skill = SkillFactory(code="ethics")
    url = "/courses/?skill=ethics&duration=30-to-60"
    for _ in range(2):
        course_with_lessons(lessons=1, assessment=False, skills=[(skill, 2), (SkillFactory(), 1)])
    few = count_queries(client, url)
    for _ in range(10):
        course_with_lessons(lessons=1, assessment=False, skills=[(skill, 2), (SkillFactory(), 1)])
    many = count_queries(client, url)
    assert many == few == (13, 0)


def test_lesson_queries_do_not_grow_with_lessons_or_statements(client):
    user = UserFactory()
    client.force_login(user)
    small = course_with_lessons(lessons=2)
    services.enrolment_create(user=user, course=small)
    few = count_queries(client, small.lessons().first().url)

    large = course_with_lessons(lessons=8)
    services.enrolment_create(user=user, course=large)
    read_all_lessons(user=user, course=large)
    lesson = large.lessons().first()
    for option in ("a", "b", "a"):
        services.knowledge_check_answer(user=user, lesson=lesson, block_id="kc1", chosen=[option])
    many = count_queries(client, lesson.url)
    assert many == few == (19, 3)


def test_dashboard_queries_do_not_grow_with_enrolments(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("learners:dashboard")
    for _ in range(2):
        course = course_with_lessons(lessons=2)
        services.enrolment_create(user=user, course=course)
    few = count_queries(client, url)
    for _ in range(6):
        course = course_with_lessons(lessons=3)
        services.enrolment_create(user=user, course=course)
        read_all_lessons(user=user, course=course)
    many = count_queries(client, url)
    assert many == few == (16, 5)
