"""What editors get in the Wagtail admin: a searchable skill chooser, professions as a ticked
list, and moderation before anything they change is published."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page

from learners.models import Role
from tests.factories.challenges import create_challenge
from tests.factories.courses import SkillFactory, course_with_lessons
from tests.factories.learners import (
    ProfessionFactory,
    UserFactory,
    sign_in_with_second_factor,
    totp_enable,
)

pytestmark = pytest.mark.django_db

WORKFLOW = "Moderation of courses and challenges"


def person(*roles, superuser=False):
    user = UserFactory(is_staff=True, is_superuser=superuser, roles=list(roles))
    totp_enable(user)
    return user


@pytest.fixture
def admin_client(client):
    sign_in_with_second_factor(client, person(superuser=True))
    return client


@pytest.fixture
def editor_client(client):
    sign_in_with_second_factor(client, person(Role.EDITOR))
    return client


def test_skill_chooser_searches_by_part_of_a_name(editor_client):
    SkillFactory(name="Information security", code="information-security")
    SkillFactory(name="Data modelling", code="data-modelling")
    chooser = "wagtailsnippetchoosers_courses_skill"

    modal = editor_client.get(reverse(f"{chooser}:choose"))
    results = editor_client.get(reverse(f"{chooser}:choose_results"), {"q": "secur"})

    assert modal.status_code == 200
    assert "Search skills" in modal.json()["html"]
    assert results.status_code == 200
    assert "Information security" in results.text
    assert "Data modelling" not in results.text


def test_audience_professions_are_a_ticked_list(admin_client):
    ProfessionFactory(name="Policy", code="policy")
    course = course_with_lessons(lessons=0, assessment=False)

    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).text

    assert 'type="checkbox" name="audience_professions"' in html
    assert '<select name="audience_professions"' not in html


def test_editors_cannot_publish_and_must_submit_for_moderation():
    editor = person(Role.EDITOR)
    course = course_with_lessons(lessons=1)
    lesson = course.lessons().first().specific
    challenge = create_challenge()

    for page in (course, lesson, challenge):
        permissions = Page.objects.get(pk=page.pk).permissions_for_user(editor)
        assert permissions.can_edit()
        assert not permissions.can_publish()
        assert page.get_workflow().name == WORKFLOW
    assert (
        not Group.objects.get(name="Editors")
        .page_permissions.filter(permission__codename="publish_page")
        .exists()
    )


def test_the_editors_page_form_offers_submit_for_moderation_not_publish(client):
    editor = person(Role.EDITOR)
    course = course_with_lessons(lessons=0, assessment=False, title="Before")
    sign_in_with_second_factor(client, editor)
    edit = reverse("wagtailadmin_pages:edit", args=[course.pk])
    form = client.get(edit)
    assert form.status_code == 200
    assert f"Submit to {WORKFLOW}" in form.text
    assert 'name="action-publish"' not in form.text


def test_moderators_approve_what_editors_submit():
    editor, moderator = person(Role.EDITOR), person(Role.MODERATOR)
    course = course_with_lessons(lessons=0, assessment=False)
    page = Page.objects.get(pk=course.pk).specific
    page.title = "Changed by the editor"
    revision = page.save_revision(user=editor)
    state = page.get_workflow().start(page, editor)
    task_state = state.current_task_state

    assert not task_state.task.specific.user_can_access_editor(page, UserFactory())
    assert task_state.task.specific.user_can_access_editor(page, moderator)
    assert page.permissions_for_user(moderator).can_publish()
    task_state.task.specific.on_action(task_state, moderator, "approve")
    page.refresh_from_db()
    assert page.live_revision_id == revision.pk
    assert page.title == "Changed by the editor"
