import pytest
from django.urls import reverse

from learners.learning import services
from learners.learning import xapi as course_statements
from learners.learning.models import SelfAssessment
from tests.factories.courses import (
    RoleLevelFactory,
    RoleLevelSkillFactory,
    SkillFactory,
    course_with_lessons,
)
from tests.factories.learners import ProfileFactory
from tests.factories.learning import read_all_lessons, store_external

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    current, target = RoleLevelFactory(name="Junior analyst"), RoleLevelFactory(name="Analyst")
    ethics = SkillFactory(name="Data ethics and privacy")
    research = SkillFactory(name="User research methods")
    RoleLevelSkillFactory(role_level=current, skill=ethics, level=1)
    RoleLevelSkillFactory(role_level=target, skill=ethics, level=2)
    RoleLevelSkillFactory(role_level=target, skill=research, level=3)
    profile = ProfileFactory(current_role_level=current, target_role_level=target)
    course = course_with_lessons(lessons=1, title="Ethics course", skills=[(ethics, 2)])
    other = course_with_lessons(lessons=1, title="Research course", skills=[(research, 3)])
    return {
        "user": profile.user,
        "ethics": ethics,
        "research": research,
        "course": course,
        "other": other,
    }


def test_skills_profile_shows_required_evidenced_and_self_assessed_apart(client, setup):
    user = setup["user"]
    services.enrolment_create(user=user, course=setup["course"])
    read_all_lessons(user=user, course=setup["course"])
    services.assessment_submit(
        user=user, assessment=setup["course"].assessment(), answers={"q1": ["a"], "q2": ["a"]}
    )
    SelfAssessment.objects.create(user=user, skill=setup["research"], level=4)
    client.force_login(user)
    response = client.get(reverse("learners:skills_profile"))
    rows = {row.skill.name: row for row in response.context["rows"]}
    ethics, research = rows["Data ethics and privacy"], rows["User research methods"]
    assert ethics.required == {"current": 1, "target": 2}
    assert ethics.evidenced == 2 and not ethics.gap
    assert [e.course.title for e in ethics.evidence] == ["Ethics course"]
    # self-assessed expert, but no evidence: still a gap, the self-assessment is not evidence
    assert research.self_assessed == 4 and research.evidenced == 0 and research.gap
    html = response.content.decode()
    assert "Gap" in html
    assert "Ethics course (completed)" in html


def test_external_passed_statement_counts_as_evidence(client, setup):
    user = setup["user"]
    store_external(
        user=user,
        verb=course_statements.PASSED,
        activity_id=course_statements.assessment_iri(setup["other"].assessment()),
    )
    client.force_login(user)
    rows = {r.skill.name: r for r in client.get(reverse("learners:skills_profile")).context["rows"]}
    assert rows["User research methods"].evidenced == 3
    assert rows["User research methods"].evidence[0].kind == "passed"


def test_self_assessment_is_saved_and_invalid_level_refused(client, setup):
    user = setup["user"]
    client.force_login(user)
    url = reverse("learners:skills_profile")
    response = client.post(url, {"skill": setup["ethics"].code, "level": "3"})
    assert response.status_code == 302
    assert SelfAssessment.objects.get(user=user, skill=setup["ethics"]).level == 3
    response = client.post(url, {"skill": setup["ethics"].code, "level": "9"})
    assert response.status_code == 400
    assert "Select a level from the list" in response.content.decode()
    assert SelfAssessment.objects.get(user=user, skill=setup["ethics"]).level == 3
    response = client.post(url, {"skill": "nope", "level": "2"})
    assert response.status_code == 400
    client.post(url, {"skill": setup["ethics"].code, "level": "none"})
    assert not SelfAssessment.objects.filter(user=user).exists()


def test_dashboard_recommends_courses_for_target_role_gaps(client, setup):
    user = setup["user"]
    client.force_login(user)
    board = client.get(reverse("learners:dashboard")).context["dashboard"]
    assert {c.title for c in board.recommended} == {"Ethics course", "Research course"}
