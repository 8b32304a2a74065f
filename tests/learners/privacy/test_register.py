"""The register of personal data covers every installed model, and the check can fail."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from learners.privacy import register


@pytest.fixture
def fresh_register():
    register.app_registers.cache_clear()
    register.declarations.cache_clear()
    yield
    register.app_registers.cache_clear()
    register.declarations.cache_clear()


def test_register_declares_every_installed_model():
    assert register.problems() == []


def test_register_fails_for_a_model_no_app_declares(monkeypatch, fresh_register):
    learners = next(r for r in register.app_registers() if r.app == "learners")
    entries = [e for e in learners.module.PERSONAL_DATA if e["model"] != "learners.Profile"]
    monkeypatch.setattr(learners.module, "PERSONAL_DATA", entries)
    register.declarations.cache_clear()
    problems = register.problems()
    assert any(p.startswith("learners.Profile holds personal data") for p in problems)
    with pytest.raises(SystemCheckError, match="learners.Profile holds personal data"):
        call_command("check")


def test_register_fails_for_an_undeclared_personal_field(monkeypatch, fresh_register):
    challenges = next(r for r in register.app_registers() if r.app == "challenges")
    entries = [
        {**e, "fields": ["submission"]} if e["model"] == "challenges.Invitation" else e
        for e in challenges.module.PERSONAL_DATA
    ]
    monkeypatch.setattr(challenges.module, "PERSONAL_DATA", entries)
    assert "challenges.Invitation.email looks personal but is not declared" in (register.problems())


def test_register_fails_for_a_model_in_no_declaration(monkeypatch, fresh_register):
    courses = next(r for r in register.app_registers() if r.app == "courses")
    names = [n for n in courses.module.NO_PERSONAL_DATA if n != "courses.Skill"]
    monkeypatch.setattr(courses.module, "NO_PERSONAL_DATA", names)
    assert "courses.Skill is in no personal_data declaration (personal or not)" in (
        register.problems()
    )


def test_register_refuses_unknown_keys(monkeypatch, fresh_register):
    learning = next(r for r in register.app_registers() if r.app == "learning")
    entries = [{**learning.module.PERSONAL_DATA[0], "retention": "for ever"}]
    monkeypatch.setattr(
        learning.module, "PERSONAL_DATA", entries + learning.module.PERSONAL_DATA[1:]
    )
    assert "learning.Enrolment: unknown retention 'for ever'" in register.problems()


def test_every_retention_with_days_has_a_number_in_settings(settings):
    for kind, text in register.RETENTION.items():
        if "{days}" in text:
            assert isinstance(settings.PRIVACY_RETENTION_DAYS[kind], int), kind
            assert str(settings.PRIVACY_RETENTION_DAYS[kind]) in register.retention_text(kind)
