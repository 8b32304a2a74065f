"""One learner identity (issues 12 and 14): statements whose actor is the learner's account, or
the mbox or mbox_sha1sum of one of their VERIFIED emails, are theirs everywhere (progress, the
learning record, statements/read/mine, skills, reports); an unverified email never is.
"""

import hashlib
import json

import pytest
from allauth.account.models import EmailAddress

from learners.identity import account_ifi, learner_ifis, users_for_ifis
from learners.learning import services
from learners.learning.selectors import course_progress, evidence_by_skill, learning_record
from learners.learning.xapi import course_iri, lesson_iri
from learners.lrs.auth import lrs_launch_authorization
from learners.models import LearnerIdentifier
from learners.xapi import COMPLETED, EXPERIENCED
from reporting.models import LearnerSkillLevel
from reporting.services import coverage_update
from tests.factories.courses import SkillFactory, course_with_lessons
from tests.factories.learners import DEFAULT_PASSWORD, ProfileFactory, UserFactory
from tests.factories.lrs import LRSClientFactory, xapi_headers
from tests.factories.reporting import actor, evidence

pytestmark = pytest.mark.django_db

SECOND = "j.smith@digital.example.gov.uk"


def post(client, statements, **headers):
    return client.post(
        "/xapi/statements", json.dumps(statements), content_type="application/json", **headers
    )


def actor_in(form: str, user) -> dict:
    if form == "account":
        return actor(user)
    mailto = f"mailto:{SECOND}"
    if form == "mbox_sha1sum":
        return {"mbox_sha1sum": hashlib.sha1(mailto.encode()).hexdigest()}  # noqa: S324
    if form == "MBOX":
        mailto = f"mailto:{SECOND.upper()}"
    return {"objectType": "Agent", "mbox": mailto}


@pytest.mark.parametrize(
    ("form", "verified", "counts"),
    [
        ("account", True, True),
        ("mbox", True, True),
        ("MBOX", True, True),  # email addresses compare case-insensitively
        ("mbox_sha1sum", True, True),
        ("mbox", False, False),
        ("mbox_sha1sum", False, False),
    ],
)
def test_statements_from_an_external_client_count_by_every_verified_ifi(
    client, form, verified, counts
):
    skill = SkillFactory()
    course = course_with_lessons(lessons=2, assessment=False, skills=[(skill, 3)])
    learner = ProfileFactory().user
    EmailAddress.objects.create(user=learner, email=SECOND, verified=verified)
    services.enrolment_create(user=learner, course=course)
    coverage_update()
    lesson = course.lessons().first()
    # An evidence source for the course and its lessons: only such a client's lesson reads count.
    tool = LRSClientFactory(
        scopes=["all"], evidence_activities=[course_iri(course), lesson_iri(lesson)]
    )
    who = actor_in(form, learner)
    read = evidence(learner, lesson_iri(lesson), EXPERIENCED, actor=who)
    read["result"] = {"completion": True}
    done = evidence(learner, course_iri(course), COMPLETED, actor=who)
    assert post(client, [read, done], **xapi_headers(tool)).status_code == 200
    coverage_update()

    # Progress and the learning record.
    assert (lesson.pk in course_progress(user=learner, course=course).done_ids) is counts
    recorded = {str(s.statement_id) for s in learning_record(user=learner)}
    assert (read["id"] in recorded) is counts
    # statements/read/mine, by the learner's session and by a launch token.
    client.login(email=learner.email, password=DEFAULT_PASSWORD)
    for headers in (
        xapi_headers(),
        xapi_headers(HTTP_AUTHORIZATION=lrs_launch_authorization(learner)),
    ):
        listed = client.get("/xapi/statements", **headers).json()["statements"]
        assert (read["id"] in {s["id"] for s in listed}) is counts
        single = client.get("/xapi/statements", {"statementId": read["id"]}, **headers)
        assert single.status_code == (200 if counts else 404)
    # Skills profile and reports.
    assert (skill.pk in evidence_by_skill(user=learner)) is counts
    assert LearnerSkillLevel.objects.filter(user=learner, skill=skill).exists() is counts


def test_identifiers_follow_verification_and_removal_and_reports_recount(client):
    skill = SkillFactory()
    course = course_with_lessons(lessons=1, assessment=False, skills=[(skill, 2)])
    learner = ProfileFactory().user
    tool = LRSClientFactory(evidence_activities=[course_iri(course)])
    coverage_update()
    sent = evidence(learner, course_iri(course), actor={"mbox": f"mailto:{SECOND}"})
    assert post(client, sent, **xapi_headers(tool)).status_code == 200
    coverage_update()
    assert not LearnerSkillLevel.objects.filter(user=learner).exists()

    address = EmailAddress.objects.create(user=learner, email=SECOND, verified=False)
    assert account_ifi(learner) in learner_ifis(learner)
    assert f"mbox:mailto:{SECOND}" not in learner_ifis(learner)
    address.verified = True
    address.save()  # as allauth's confirmation does
    assert f"mbox:mailto:{SECOND}" in learner_ifis(learner)
    coverage_update()
    assert LearnerSkillLevel.objects.get(user=learner, skill=skill).level == 2

    address.delete()
    assert users_for_ifis([f"mbox:mailto:{SECOND}"]) == {}
    coverage_update()
    assert not LearnerSkillLevel.objects.filter(user=learner).exists()
    assert evidence_by_skill(user=learner) == {}


def test_a_verified_email_belongs_to_one_learner_and_a_session_may_write_as_it(client):
    learner, other = UserFactory(), UserFactory()
    assert users_for_ifis([f"mbox:mailto:{learner.email}", account_ifi(other)]) == {
        f"mbox:mailto:{learner.email}": learner.pk,
        account_ifi(other): other.pk,
    }
    client.login(email=learner.email, password=DEFAULT_PASSWORD)
    own = evidence(
        learner, "https://content.example.com/a", actor={"mbox": f"mailto:{learner.email}"}
    )
    theirs = evidence(
        learner, "https://content.example.com/a", actor={"mbox": f"mailto:{other.email}"}
    )
    assert post(client, own, **xapi_headers()).status_code == 200
    assert post(client, theirs, **xapi_headers()).status_code == 403
    assert LearnerIdentifier.objects.filter(user=learner, active=True).count() == 2


def test_sync_command_repairs_identifiers_written_around_the_orm():
    from io import StringIO

    from django.core.management import call_command

    learner = UserFactory()
    EmailAddress.objects.bulk_create([EmailAddress(user=learner, email=SECOND, verified=True)])
    LearnerIdentifier.objects.filter(user=learner).delete()
    assert learner_ifis(learner) == {account_ifi(learner)}

    out = StringIO()
    call_command("sync_learner_identifiers", stdout=out)

    assert f"mbox:mailto:{SECOND}" in learner_ifis(learner)
    assert f"mbox:mailto:{learner.email}" in learner_ifis(learner)
    assert "1 of 1" in out.getvalue()


def test_erasure_removes_the_identifiers_and_pseudonymises_statements_by_email(client):
    from learners.lrs.models import Statement
    from learners.privacy.services import person_erase

    learner = UserFactory()
    EmailAddress.objects.create(user=learner, email=SECOND, verified=True)
    by_email = evidence(
        learner, "https://content.example.com/a", actor={"mbox": f"mailto:{SECOND}"}
    )
    assert post(client, by_email, **xapi_headers(LRSClientFactory())).status_code == 200

    person_erase(user_id=learner.pk, reason="Asked to be forgotten")

    assert not LearnerIdentifier.objects.filter(user=learner).exists()
    assert users_for_ifis([f"mbox:mailto:{SECOND}"]) == {}
    assert SECOND not in Statement.objects.get(statement_id=by_email["id"]).payload
