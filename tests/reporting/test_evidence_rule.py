"""One evidence rule (issue 12) with the authority rule inside (issue 10): learners with every
kind of evidence, and the skills profile and the coverage tables agree about each of them.
"""

import hashlib
import json

import pytest
from allauth.account.models import EmailAddress

from challenges import xapi as challenge_statements
from courses.models import SkillLevel
from learners.learning import services
from learners.learning.models import Certificate
from learners.learning.selectors import course_progress, evidence_by_skill
from learners.learning.xapi import assessment_iri, course_iri
from learners.lrs.auth import lrs_launch_authorization
from learners.lrs.services import statements_store
from learners.xapi import COMPLETED, PASSED
from reporting.models import LearnerSkillLevel, Series
from reporting.services import coverage_rebuild, coverage_update
from tests.factories.challenges import SubmissionFactory, create_challenge
from tests.factories.courses import SkillFactory, course_with_lessons
from tests.factories.learners import DEFAULT_PASSWORD, OrganisationFactory, ProfileFactory
from tests.factories.lrs import LRSClientFactory, xapi_headers
from tests.factories.reporting import actor, evidence

pytestmark = pytest.mark.django_db

ANSWERS = {"q1": ["a"], "q2": ["a"]}


def post(client, statements, **headers):
    return client.post(
        "/xapi/statements", json.dumps(statements), content_type="application/json", **headers
    )


def coverage_levels() -> dict:
    rows = LearnerSkillLevel.objects.filter(series=Series.EVIDENCED)
    return {(r.user_id, r.skill_id): r.level for r in rows}


def profile_levels(users) -> dict:
    found = {}
    for user in users:
        for skill_id, items in evidence_by_skill(user=user).items():
            found[(user.pk, skill_id)] = max(item.level for item in items)
    return found


def mbox(email: str) -> dict:
    return {"objectType": "Agent", "mbox": f"mailto:{email}"}


def sha1(email: str) -> dict:
    digest = hashlib.sha1(f"mailto:{email}".encode()).hexdigest()  # noqa: S324 - xAPI IFI
    return {"objectType": "Agent", "mbox_sha1sum": digest}


def test_profile_and_coverage_agree_for_every_kind_of_evidence(client):
    department = OrganisationFactory()
    a, b, c, d = (SkillFactory() for _ in range(4))
    course = course_with_lessons(lessons=1, skills=[(a, SkillLevel.WORKING)])
    assessed = course_with_lessons(lessons=1, skills=[(b, SkillLevel.PRACTITIONER)])
    external = course_with_lessons(lessons=1, assessment=False, skills=[(d, SkillLevel.EXPERT)])
    challenge = create_challenge(skills=[c], level=SkillLevel.PRACTITIONER)
    source = LRSClientFactory(evidence_activities=[course_iri(external)])
    voider = LRSClientFactory(scopes=["all", "void"])
    people = {
        name: ProfileFactory(organisation=department).user
        for name in (
            "completed",
            "assessed",
            "challenge",
            "self_sent",
            "launch",
            "voided",
            "client",
            "mbox",
            "sha1",
            "unverified",
        )
    }

    # The platform's own services: enrol, read, pass the assessment (completes the course).
    learner = people["completed"]
    services.enrolment_create(user=learner, course=course)
    services.lesson_experience(user=learner, lesson=course.lessons().first())
    services.assessment_submit(user=learner, assessment=course.assessment(), answers=ANSWERS)
    # A platform statement of a passed assessment (the course is not completed).
    statements_store(
        statements=[evidence(people["assessed"], assessment_iri(assessed.assessment()), PASSED)]
    )
    # An accepted challenge submission, as the challenges app records it.
    submission = SubmissionFactory(
        challenge=challenge, created_by=people["challenge"], status="accepted"
    )
    statements_store(
        statements=challenge_statements.submission_decided(
            submission=submission, manager=people["assessed"]
        )
    )
    # The learner about themselves: session and launch token. Stored, proves nothing.
    self_sent = people["self_sent"]
    client.login(email=self_sent.email, password=DEFAULT_PASSWORD)
    claims = [
        evidence(self_sent, course_iri(course), COMPLETED),
        evidence(self_sent, assessment_iri(assessed.assessment()), PASSED),
        evidence(self_sent, course_iri(external), COMPLETED),
    ]
    assert post(client, claims, **xapi_headers()).status_code == 200
    client.logout()
    launch = xapi_headers(HTTP_AUTHORIZATION=lrs_launch_authorization(people["launch"]))
    assert (
        post(client, [evidence(people["launch"], course_iri(course))], **launch).status_code == 200
    )
    # Voided evidence.
    voided = evidence(people["voided"], course_iri(course))
    statements_store(statements=[voided])
    void = {
        "actor": actor(people["voided"]),
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en": "voided"}},
        "object": {"objectType": "StatementRef", "id": voided["id"]},
    }
    assert post(client, [void], **xapi_headers(voider)).status_code == 200
    # An evidence-source client: its activities count, others do not.
    on_its_activity = evidence(people["client"], course_iri(external))
    not_its_activity = evidence(people["client"], course_iri(course))
    assert (
        post(client, [on_its_activity, not_its_activity], **xapi_headers(source)).status_code == 200
    )
    # The same client naming learners by a verified email (mbox, mbox_sha1sum) or not.
    unverified = "second.address@example.gov.uk"
    EmailAddress.objects.create(user=people["unverified"], email=unverified, verified=False)
    by_email = [
        evidence(people["mbox"], course_iri(external), actor=mbox(people["mbox"].email)),
        evidence(people["sha1"], course_iri(external), actor=sha1(people["sha1"].email)),
        evidence(people["unverified"], course_iri(external), actor=mbox(unverified)),
    ]
    assert post(client, by_email, **xapi_headers(source)).status_code == 200

    coverage_update()

    p = {name: user.pk for name, user in people.items()}
    expected = {
        (p["completed"], a.pk): SkillLevel.WORKING,
        (p["assessed"], b.pk): SkillLevel.PRACTITIONER,
        (p["challenge"], c.pk): SkillLevel.PRACTITIONER,
        (p["client"], d.pk): SkillLevel.EXPERT,
        (p["mbox"], d.pk): SkillLevel.EXPERT,
        (p["sha1"], d.pk): SkillLevel.EXPERT,
    }
    assert coverage_levels() == expected
    assert profile_levels(people.values()) == expected
    coverage_rebuild()  # the set-based SQL says the same
    assert coverage_levels() == expected

    # The self-sent claims completed nothing and earned no certificate.
    assert not course_progress(user=self_sent, course=course).completed
    assert not Certificate.objects.filter(user=self_sent).exists()
    assert Certificate.objects.filter(user=people["completed"], course=course).exists()


def test_a_learner_cannot_pass_an_assessment_or_complete_a_course_by_saying_so(client):
    course = course_with_lessons(lessons=1)
    learner = ProfileFactory().user
    services.enrolment_create(user=learner, course=course)
    client.login(email=learner.email, password=DEFAULT_PASSWORD)
    claims = [
        evidence(learner, assessment_iri(course.assessment()), PASSED),
        evidence(learner, course_iri(course), COMPLETED),
    ]
    assert post(client, claims, **xapi_headers()).status_code == 200
    # Reading the last lesson would complete a course whose assessment is passed.
    services.lesson_experience(user=learner, lesson=course.lessons().first())

    progress = course_progress(user=learner, course=course)
    assert not progress.passed and not progress.completed
    assert progress.attempts_used == 0  # a self-sent pass or fail spends no attempt either
    assert not Certificate.objects.filter(user=learner).exists()
    assert evidence_by_skill(user=learner) == {}


def test_an_admin_changing_an_evidence_source_recounts_what_it_already_sent(client):
    skill = SkillFactory()
    course = course_with_lessons(lessons=1, assessment=False, skills=[(skill, 2)])
    learner = ProfileFactory().user
    tool = LRSClientFactory()
    coverage_update()
    assert (
        post(client, evidence(learner, course_iri(course)), **xapi_headers(tool)).status_code == 200
    )
    coverage_update()
    assert coverage_levels() == {}
    assert evidence_by_skill(user=learner) == {}

    tool.evidence_activities = [course_iri(course)]
    tool.save()
    summary = coverage_update()

    assert summary.rebuilt
    assert coverage_levels() == {(learner.pk, skill.pk): 2}
    assert list(evidence_by_skill(user=learner)) == [skill.pk]


def test_platform_owned_activity_definitions_change_only_through_the_platform(client):
    course = course_with_lessons(lessons=1, title="Real course name")
    learner = ProfileFactory().user
    services.enrolment_create(user=learner, course=course)  # stores the canonical definition
    forged = evidence(learner, course_iri(course))
    forged["object"]["definition"] = {
        "name": {"en-GB": "Free certificates here"},
        "moreInfo": "https://evil.example.com/",
    }
    for headers in (xapi_headers(LRSClientFactory(scopes=["all"])),):
        assert post(client, forged, **headers).status_code == 200
    client.login(email=learner.email, password=DEFAULT_PASSWORD)
    forged["id"] = forged["id"][:-4] + "abcd"
    assert post(client, forged, **xapi_headers()).status_code == 200

    response = client.get("/xapi/activities", {"activityId": course_iri(course)}, **xapi_headers())
    definition = response.json()["definition"]
    assert definition["name"] == {"en-GB": "Real course name"}
    assert "moreInfo" not in definition
    # Anything else keeps the LRS's usual merge of definitions.
    other = evidence(learner, "https://content.example.com/activity/1")
    other["object"]["definition"] = {"name": {"en-GB": "Theirs"}}
    post(client, other, **xapi_headers(LRSClientFactory(scopes=["all"])))
    theirs = client.get(
        "/xapi/activities",
        {"activityId": "https://content.example.com/activity/1"},
        **xapi_headers(),
    )
    assert theirs.json()["definition"]["name"] == {"en-GB": "Theirs"}


def test_a_registered_launch_attests_its_activity_for_its_learner_only(monkeypatch):
    from learners.identity import account_ifi
    from learners.learning import evidence as rule
    from learners.lrs.identity import agent_ifi

    skill = SkillFactory()
    course = course_with_lessons(lessons=1, assessment=False, skills=[(skill, 3)])
    other = course_with_lessons(lessons=1, assessment=False, skills=[(SkillFactory(), 2)])
    learner, classmate = ProfileFactory().user, ProfileFactory().user
    launch = {"account": {"homePage": "http://testserver/xapi/launches", "name": "L-1"}}

    def launches(actor_ifis):
        # What the cmi5 work will register: one launch of `course` for `learner`.
        return [
            rule.Attester(
                agent_ifi(launch), course_iri(course), exact=True, actor_ifi=account_ifi(learner)
            )
        ]

    monkeypatch.setattr(rule, "_launch_sources", [launches])
    coverage_update()
    statements_store(
        statements=[
            evidence(learner, course_iri(course)),
            evidence(learner, course_iri(other)),  # not the launched activity
            evidence(classmate, course_iri(course)),  # not the launched learner
        ],
        authority=launch,
    )
    coverage_update()

    assert coverage_levels() == {(learner.pk, skill.pk): 3}
    assert profile_levels([learner, classmate]) == {(learner.pk, skill.pk): 3}
    coverage_rebuild()
    assert coverage_levels() == {(learner.pk, skill.pk): 3}
