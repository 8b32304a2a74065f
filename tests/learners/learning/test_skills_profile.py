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
    assert {r.course.title for r in board.recommended} == {"Ethics course", "Research course"}
    assert not any(r.nearest for r in board.recommended)


def test_each_gap_links_to_the_courses_that_build_it_at_or_above_the_level(client, setup):
    course_with_lessons(lessons=1, title="Ethics awareness", skills=[(setup["ethics"], 1)])
    course_with_lessons(lessons=1, title="Ethics expert", skills=[(setup["ethics"], 4)])
    client.force_login(setup["user"])

    response = client.get(reverse("learners:skills_profile"))

    rows = {row.skill.name: row for row in response.context["rows"]}
    ethics = rows["Data ethics and privacy"]
    assert ethics.gap and ethics.wanted == 2
    assert [c.title for c in ethics.closing.courses] == ["Ethics course", "Ethics expert"]
    assert ethics.closing.nearest == []
    html = response.content.decode()
    section = html[html.index('id="skill-' + setup["ethics"].code + '"') :]
    section = section[: section.index("</section>")]
    assert f'href="{setup["course"].url}">Ethics course</a>' in section
    assert "Ethics expert</a>" in section
    assert "Ethics awareness" not in section


def test_a_gap_no_course_closes_offers_the_nearest_level_and_says_so(client, setup):
    setup["other"].course_skills.update(level=2)  # research is needed at Practitioner (3)
    intro = course_with_lessons(lessons=1, title="Research intro", skills=[(setup["research"], 1)])
    client.force_login(setup["user"])

    profile = client.get(reverse("learners:skills_profile"))
    board = client.get(reverse("learners:dashboard"))

    research = {r.skill.name: r for r in profile.context["rows"]}["User research methods"]
    assert research.closing.courses == []
    assert research.closing.nearest_level == 2
    assert [c.title for c in research.closing.nearest] == ["Research course"]
    html = profile.content.decode()
    assert "No course builds User research methods to Practitioner yet." in html
    assert "The nearest level offered is Working" in html
    assert f'href="{intro.url}"' not in html
    items = {r.course.title: r for r in board.context["dashboard"].recommended}
    assert items["Research course"].nearest and items["Research course"].skills == [
        "User research methods"
    ]
    assert not items["Ethics course"].nearest
    assert "Nearest level" in board.content.decode()


def test_a_gap_no_course_builds_at_all_is_named(client, setup):
    setup["other"].course_skills.all().delete()
    client.force_login(setup["user"])

    profile = client.get(reverse("learners:skills_profile")).content.decode()
    board = client.get(reverse("learners:dashboard")).content.decode()

    assert "No course builds User research methods yet, at any level." in profile
    assert "No course builds User research methods yet, at any level." in board


def test_a_gap_whose_course_is_under_way_is_not_called_unbuilt(client, setup):
    user = setup["user"]
    services.enrolment_create(user=user, course=setup["other"])
    client.force_login(user)

    board = client.get(reverse("learners:dashboard"))

    titles = [r.course.title for r in board.context["dashboard"].recommended]
    assert "Research course" not in titles  # already under way
    assert board.context["dashboard"].uncovered == []
    assert "No course builds User research methods" not in board.content.decode()
