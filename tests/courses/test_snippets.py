import pytest
from django.urls import reverse

from courses.models import RoleLevel, RoleLevelSkill, Skill, SkillLevel
from tests.factories.courses import RoleLevelFactory, RoleLevelSkillFactory, SkillFactory
from tests.factories.learners import UserFactory, sign_in_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    """A superuser with an authenticator (the admin asks privileged people for one)."""
    user = UserFactory(is_superuser=True, is_staff=True)
    sign_in_with_second_factor(client, user)
    return client


def url(model: str, action: str, *args) -> str:
    return reverse(f"wagtailsnippets_courses_{model}:{action}", args=args)


def test_skill_snippet_listing_renders_and_searches(admin_client):
    SkillFactory(name="Accessibility")
    SkillFactory(name="Data modelling")

    response = admin_client.get(url("skill", "list"))
    searched = admin_client.get(url("skill", "list"), {"q": "access"})

    assert response.status_code == 200
    assert "Accessibility" in response.text
    assert "Data modelling" in response.text
    assert searched.status_code == 200
    assert "Accessibility" in searched.text
    assert "Data modelling" not in searched.text


def test_skill_snippet_edit_saves(admin_client):
    skill = SkillFactory(name="Accessibility")

    response = admin_client.post(
        url("skill", "edit", skill.pk),
        {
            "name": "Accessibility",
            "code": "accessibility",
            "description": "Making services usable by everyone.\nIncluding assistive technology.",
            "awareness_description": "You can:\n- explain accessibility",
            "working_description": "",
            "practitioner_description": "",
            "expert_description": "",
        },
    )

    assert response.status_code == 302
    skill.refresh_from_db()
    assert skill.description == (
        "Making services usable by everyone.\nIncluding assistive technology."
    )
    assert skill.awareness_description == "You can:\n- explain accessibility"


def test_skill_snippet_edit_refuses_a_duplicate_name(admin_client):
    SkillFactory(name="Accessibility")
    other = SkillFactory(name="Data modelling")

    response = admin_client.post(
        url("skill", "edit", other.pk),
        {"name": "Accessibility", "code": other.code, "description": ""},
    )

    assert response.status_code == 200
    other.refresh_from_db()
    assert other.name == "Data modelling"
    assert Skill.objects.filter(name="Accessibility").count() == 1


def test_role_level_snippet_edits_requirements_inline(admin_client):
    level = RoleLevelFactory(name="Senior data analyst")
    kept = RoleLevelSkillFactory(role_level=level, level=SkillLevel.WORKING)
    added = SkillFactory(name="Data visualisation")

    listing = admin_client.get(url("rolelevel", "list"))
    form = admin_client.get(url("rolelevel", "edit", level.pk))
    response = admin_client.post(
        url("rolelevel", "edit", level.pk),
        {
            "name": level.name,
            "code": level.code,
            "role": level.role_id,
            "description": "Leads analysis.",
            "role_type": "",
            "in_use": "on",
            "requirements-TOTAL_FORMS": "2",
            "requirements-INITIAL_FORMS": "1",
            "requirements-MIN_NUM_FORMS": "0",
            "requirements-MAX_NUM_FORMS": "1000",
            "requirements-0-id": kept.pk,
            "requirements-0-skill": kept.skill_id,
            "requirements-0-level": SkillLevel.PRACTITIONER,
            "requirements-0-level_description": "",
            "requirements-1-id": "",
            "requirements-1-skill": added.pk,
            "requirements-1-level": SkillLevel.AWARENESS,
            "requirements-1-level_description": "You can: read a chart",
        },
    )

    assert listing.status_code == 200
    assert "Senior data analyst" in listing.text
    assert form.status_code == 200
    assert "Skills this role level requires" in form.text
    assert response.status_code == 302
    level.refresh_from_db()
    assert level.description == "Leads analysis."
    assert dict(RoleLevelSkill.objects.filter(role_level=level).values_list("skill", "level")) == {
        kept.skill_id: SkillLevel.PRACTITIONER,
        added.pk: SkillLevel.AWARENESS,
    }


def test_role_level_snippet_listing_filters_by_in_use(admin_client):
    RoleLevelFactory(name="Senior data analyst")
    RoleLevelFactory(name="Chief data officer (not in use)", in_use=False)

    response = admin_client.get(url("rolelevel", "list"), {"in_use": "false"})

    assert response.status_code == 200
    assert "Chief data officer (not in use)" in response.text
    assert "Senior data analyst" not in response.text
    assert RoleLevel.objects.count() == 2


def test_framework_snippets_need_the_admin(client):
    learner = UserFactory()
    client.force_login(learner)

    response = client.get(url("skill", "list"))

    assert response.status_code in (302, 403)


def test_framework_snippets_are_editable_by_the_editors_group(client):
    editor = UserFactory(roles=["Editors"])
    sign_in_with_second_factor(client, editor)
    skill = SkillFactory(name="Accessibility")

    listing = client.get(url("skill", "list"))
    response = client.post(
        url("skill", "edit", skill.pk),
        {"name": "Accessibility", "code": "accessibility", "description": "Usable by everyone."},
    )

    assert listing.status_code == 200
    assert response.status_code == 302
    skill.refresh_from_db()
    assert skill.description == "Usable by everyone."
