"""The structure cache (courses.cache): routes, outlines, breadcrumbs, view restrictions and the
catalogue's matches are remembered across requests, and every change that can alter them is
seen on the next request.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from wagtail.models import PageViewRestriction, Site

from courses import cache as structure_cache
from courses.models import CourseSkill
from tests.factories.courses import LessonPageFactory, SkillFactory, catalogue, course_with_lessons

pytestmark = pytest.mark.django_db


def html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_a_republished_course_shows_its_new_outline(client):
    course = course_with_lessons(lessons=2)
    first = course.lessons().first()
    assert "lesson 1 of 2" in html(client, first.url)
    assert "Fresh lesson" not in html(client, course.url)

    LessonPageFactory(parent=course, title="Fresh lesson")
    assert "lesson 1 of 3" in html(client, first.url)
    assert "Fresh lesson" in html(client, course.url)

    second = course.lessons()[1]
    second.unpublish()
    assert "lesson 1 of 2" in html(client, first.url)
    assert client.get(second.url).status_code == 404


def test_a_new_title_and_slug_are_served_at_once(client):
    course = course_with_lessons(lessons=1)
    lesson = course.lessons().first()
    old_url = lesson.url
    assert lesson.title in html(client, old_url)
    assert lesson.title in html(client, course.url)

    lesson.title = "Renamed lesson"
    lesson.slug = "renamed-lesson"
    lesson.save_revision().publish()
    lesson.refresh_from_db()

    assert client.get(old_url).status_code == 404
    assert "Renamed lesson" in html(client, lesson.url)
    assert "Renamed lesson" in html(client, course.url)

    course.title = "Renamed course"
    course.save_revision().publish()
    assert "Renamed course" in html(client, lesson.url)  # breadcrumbs and caption


def test_a_moved_lesson_is_served_at_its_new_address(client):
    source = course_with_lessons(lessons=2)
    target = course_with_lessons(lessons=1)
    lesson = source.lessons()[1]
    old_url = lesson.url
    html(client, old_url)

    lesson.move(target, pos="last-child")
    lesson.refresh_from_db()

    moved = client.get(old_url)  # Wagtail's automatic redirect to the new address
    assert (moved.status_code, moved["Location"]) == (301, lesson.url)
    assert "lesson 2 of 2" in html(client, lesson.url)
    assert target.title in html(client, lesson.url)


def test_a_view_restriction_added_later_is_enforced(client):
    course = course_with_lessons(lessons=1)
    lesson = course.lessons().first()
    html(client, lesson.url)

    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

    restriction.delete()
    assert client.get(lesson.url).status_code == 200


def test_the_catalogue_follows_published_courses_and_their_skills(client):
    skill = SkillFactory(code="ethics", name="Data ethics")
    course_with_lessons(lessons=1, title="Ethics basics", skills=[(skill, 2)])
    url = "/courses/?skill=ethics"
    assert "Ethics basics" in html(client, url)

    later = course_with_lessons(lessons=1, title="Ethics in depth", skills=[(skill, 3)])
    page = html(client, url)
    assert "Ethics in depth" in page
    assert "<strong>2</strong> courses" in page

    later.unpublish()
    page = html(client, url)
    assert "Ethics in depth" not in page
    assert "<strong>1</strong> course" in page

    first = course_with_lessons(lessons=1, title="Security basics")
    other = SkillFactory(code="security", name="Security")
    assert 'value="security"' not in html(client, "/courses/")
    CourseSkill.objects.create(course=first, skill=other, level=1)
    assert 'value="security"' in html(client, "/courses/")
    assert "Security basics" in html(client, "/courses/?skill=security")

    skill.name = "Ethics of data"
    skill.save()
    assert "Ethics of data" in html(client, "/courses/")


def test_the_catalogue_search_sees_new_courses(client):
    catalogue()
    assert "There are no matching courses" in html(client, "/courses/?q=quantum")
    course_with_lessons(lessons=1, title="Quantum computing for policy")
    assert "Quantum computing for policy" in html(client, "/courses/?q=quantum")


def test_a_changed_site_replaces_the_token(client):
    course = course_with_lessons(lessons=1)
    html(client, course.url)
    before = structure_cache.structure_version()
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Renamed site"
    site.save()
    assert structure_cache.structure_version() != before
    assert course.title in html(client, course.url)


def test_the_token_is_replaced_again_after_commit(django_capture_on_commit_callbacks):
    before = structure_cache.structure_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        SkillFactory()
    during = structure_cache.structure_version()
    assert during != before  # at once, for this process and transaction
    for callback in callbacks:
        callback()
    assert structure_cache.structure_version() not in (before, during)  # and after commit


def test_a_lost_token_is_recreated():
    course = course_with_lessons(lessons=1)
    lesson = course.lessons().first()
    assert lesson.get_course() == course
    cache.delete(structure_cache.VERSION_KEY)
    fresh = type(lesson).objects.get(pk=lesson.pk)
    assert fresh.get_course() == course
    assert cache.get(structure_cache.VERSION_KEY)


def test_unrelated_saves_leave_the_cache_alone():
    course_with_lessons(lessons=1)
    before = structure_cache.structure_version()
    Group.objects.create(name="Unrelated")
    assert structure_cache.structure_version() == before


def test_the_process_memory_stays_within_its_bound(monkeypatch):
    monkeypatch.setattr(structure_cache, "LOCAL_BYTES", 2000)
    monkeypatch.setattr(structure_cache, "_local_entries", type(structure_cache._local_entries)())
    monkeypatch.setattr(structure_cache, "_local_bytes", 0)
    for number in range(20):
        structure_cache._local_set(f"key-{number}", "x" * 300)
    assert structure_cache._local_bytes <= 2000
    assert structure_cache._local_get("key-19") == "x" * 300  # the newest are kept
    assert structure_cache._local_get("key-0") is None  # the oldest went first


def test_entries_are_fresh_copies_for_each_use():
    course = course_with_lessons(lessons=1)
    lesson = course.lessons().first()
    first = lesson.get_course()
    first.title = "Changed in one request only"
    again = type(lesson).objects.get(pk=lesson.pk).get_course()
    assert again.title == course.title
