"""Erasure: a learner with every kind of data is erased, then nothing anywhere names them."""

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from challenges.models import Review, SentNotification, SubmissionMember
from challenges.services.files import file_upload
from challenges.services.teams import invitation_create
from learners.learning import services as learning
from learners.lrs.identity import agent_ifi
from learners.lrs.models import Statement
from learners.lrs.services import statements_store
from learners.models import User
from learners.privacy.models import ErasureRecord, PersonalDataAccess
from learners.privacy.services import ErasureError, person_erase, person_ifis, sar_request
from reporting.models import LearnerSkillLevel
from reporting.services import coverage_rebuild
from tests.factories.challenges import SubmissionFactory, assign, create_challenge
from tests.factories.courses import course_with_lessons
from tests.factories.learners import ProfileFactory, UserFactory, totp_enable
from tests.factories.learning import CertificateFactory, SelfAssessmentFactory
from tests.factories.lrs_documents import AgentProfileFactory, StateDocumentFactory
from tests.factories.reporting import course_building, evidence, store

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% Plan by Zebedee Quillfeather\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
EMAIL = "zebedee.quillfeather@example.gov.uk"
OTHER_EMAIL = "zq.second-address@example.gov.uk"


def _mbox_sha1(email):
    return hashlib.sha1(f"mailto:{email}".encode()).hexdigest()  # noqa: S324 - xAPI's IFI


def _person_with_everything(client, capture):
    """A learner who has used every part of the service."""
    user = UserFactory(email=EMAIL, first_name="Zebedee", last_name="Quillfeather")
    EmailAddress.objects.create(user=user, email=OTHER_EMAIL, verified=False, primary=False)
    ProfileFactory(user=user)
    totp_enable(user)
    SocialAccount.objects.create(
        user=user, provider="openid_connect", uid="zq-sso-subject-4711", extra_data={"email": EMAIL}
    )
    # Learning: enrolment, lessons, a certificate, a self-assessment, skills evidence.
    course, skill = course_building()
    learning.enrolment_create(user=user, course=course)
    for lesson in course_with_lessons(lessons=1).lessons():
        learning.lesson_experience(user=user, lesson=lesson)
    store(
        evidence(user, f"{settings.SITE_BASE_URL}/xapi/activities/course/{course.translation_key}")
    )
    CertificateFactory(user=user, holder_name="Zebedee Quillfeather")
    SelfAssessmentFactory(user=user, skill=skill)
    # Statements naming the person by email, by its hash, and as an instructor.
    statements_store(
        statements=[
            {
                "actor": {"mbox": f"mailto:{EMAIL}", "name": "Zebedee Quillfeather"},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
                "object": {"id": "https://content.example.com/video/1"},
            },
            {
                "actor": {"mbox_sha1sum": _mbox_sha1(OTHER_EMAIL)},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
                "object": {"id": "https://content.example.com/quiz/1"},
            },
            {
                "actor": {"mbox": "mailto:colleague@example.gov.uk"},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
                "object": {"id": "https://content.example.com/session/1"},
                "context": {"instructor": {"mbox": f"mailto:{EMAIL}", "name": "Zebedee"}},
            },
        ]
    )
    account = {"account": {"homePage": settings.SITE_BASE_URL, "name": str(user.learner_id)}}
    StateDocumentFactory(agent_ifi=agent_ifi(account), content=b'{"bookmark": "Zebedee"}')
    AgentProfileFactory(agent_ifi=agent_ifi({"mbox": f"mailto:{EMAIL}"}), content=b"{}")
    # Challenges: an entry with an uploaded file, an invitation, a review written as a mentor.
    challenge = create_challenge()
    submission = SubmissionFactory(challenge=challenge, created_by=user)
    file_upload(
        submission_id=submission.pk,
        user=user,
        upload=SimpleUploadedFile("quillfeather-plan.pdf", PDF),
    )
    other = SubmissionFactory(challenge=challenge)
    invitation_create(submission_id=other.pk, user=other.created_by, email=EMAIL)
    SentNotification.objects.create(key="zq-reminder", recipient=EMAIL)
    third = SubmissionFactory(challenge=challenge)
    Review.objects.create(
        assignment=assign(third, user), round=1, comments="Good work.", weighted_score=3
    )
    # Reporting levels, a session, an admin log line, a subject access file.
    coverage_rebuild()
    assert LearnerSkillLevel.objects.filter(user=user).exists()
    client.force_login(user)
    LogEntry.objects.create(
        user=UserFactory(),
        object_id=str(user.pk),
        object_repr=EMAIL,
        action_flag=ADDITION,
    )
    with capture(execute=True):
        sar_request(subject=user, requested_by=user)
    return user, submission


def _terms(user) -> set[str]:
    ifis = person_ifis(user)
    terms = {EMAIL, OTHER_EMAIL, "Zebedee", "Quillfeather", "zq-sso-subject-4711"}
    terms |= {str(user.learner_id), user.learner_id.hex}
    terms |= {_mbox_sha1(EMAIL), _mbox_sha1(OTHER_EMAIL)}
    terms |= {ifi.split(" ", 1)[-1] for ifi in ifis}
    return {term.lower() for term in terms}


def _database_hits(terms) -> list[str]:
    """Every table and column of the database whose value contains one of the terms."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, memoryview | bytes):
                        value = bytes(value).decode("utf-8", "replace")
                    text = str(value).lower()
                    hits += [f"{table}.{column}: {term}" for term in terms if term in text]
    return hits


def _file_hits(terms) -> list[str]:
    hits = []
    for root in (Path(settings.PRIVATE_STORAGE_ROOT), Path(settings.MEDIA_ROOT)):
        for path in root.rglob("*") if root.exists() else []:
            if not path.is_file():
                continue
            blobs = [path.read_bytes()]
            if zipfile.is_zipfile(path):
                with zipfile.ZipFile(path) as archive:
                    blobs += [archive.read(name) for name in archive.namelist()]
            for blob in blobs:
                text = blob.decode("utf-8", "replace").lower()
                hits += [f"{path.name}: {term}" for term in terms if term in text]
    return hits


def test_person_erase_leaves_nothing_that_names_them(client, django_capture_on_commit_callbacks):
    user, submission = _person_with_everything(client, django_capture_on_commit_callbacks)
    terms = _terms(user)
    # The search finds everything before the erasure: it is a real search.
    before = _database_hits(terms)
    assert any(hit.startswith("lrs_statement.payload") for hit in before)
    assert any("learners_user.email" in hit for hit in before)
    assert any("challenges_invitation.email" in hit for hit in before)
    assert _file_hits(terms)

    # Files go after commit, so that a rolled-back erasure deletes none.
    with django_capture_on_commit_callbacks(execute=True):
        record = person_erase(user_id=user.pk, requested_by=None, reason="The person's request")

    assert _database_hits(terms) == []
    assert _file_hits(terms) == []
    # The record stays, under a pseudonym: the closed account, the team, the review.
    closed = User.objects.get(pk=user.pk)
    assert not closed.is_active and not closed.has_usable_password()
    assert closed.email == f"{record.pseudonym}@erased.invalid"
    assert SubmissionMember.objects.filter(submission=submission, user=closed).exists()
    assert Review.objects.filter(assignment__mentor=closed).count() == 1
    # Statements are kept under the pseudonymous agent, with their columns rewritten.
    pseudonymous = agent_ifi(
        {"account": {"homePage": settings.SITE_BASE_URL, "name": str(closed.learner_id)}}
    )
    kept = Statement.objects.filter(actor_ifi=pseudonymous)
    assert kept.count() >= 3
    for statement in kept:
        assert json.loads(statement.payload)["actor"]["account"]["name"] == str(closed.learner_id)
    assert LearnerSkillLevel.objects.filter(user=closed).count() == 0
    assert record.counts["lrs"]["statements"] >= 4
    assert PersonalDataAccess.objects.filter(
        action=PersonalDataAccess.Action.ERASED, subject=closed
    ).exists()


def test_person_erase_twice_is_refused_and_changes_nothing(
    client, django_capture_on_commit_callbacks
):
    user, _ = _person_with_everything(client, django_capture_on_commit_callbacks)
    record = person_erase(user_id=user.pk, reason="request")
    closed = User.objects.get(pk=user.pk)
    statements = list(Statement.objects.values_list("payload", flat=True))
    with pytest.raises(ErasureError, match="erased already"):
        person_erase(user_id=user.pk, reason="again")
    assert User.objects.get(pk=user.pk).email == closed.email
    assert list(Statement.objects.values_list("payload", flat=True)) == statements
    assert ErasureRecord.objects.get().pk == record.pk


def test_person_erase_of_an_unknown_person_changes_nothing():
    UserFactory()
    with pytest.raises(ErasureError, match="no account"):
        person_erase(user_id=987654, reason="request")
    assert ErasureRecord.objects.count() == 0


def test_person_erase_half_done_runs_again_to_the_end(monkeypatch):
    """A run that fails part way changes nothing, and a second run completes."""
    user = UserFactory(email=EMAIL)
    ProfileFactory(user=user)
    from learners.privacy import register

    broken = register.app_registers()[-1]
    calls = []

    def fail_once(person, *, pseudonym):
        calls.append(person.pk)
        if len(calls) == 1:
            raise RuntimeError("worker died")
        return {}

    monkeypatch.setattr(broken.module, "erase_personal_data", fail_once, raising=False)
    with pytest.raises(RuntimeError):
        person_erase(user_id=user.pk, reason="request")
    assert User.objects.get(pk=user.pk).email == EMAIL
    assert ErasureRecord.objects.count() == 0
    person_erase(user_id=user.pk, reason="request")
    assert User.objects.get(pk=user.pk).email.endswith("@erased.invalid")
    assert len(calls) == 2


def test_erased_statements_serialise_as_json(client, django_capture_on_commit_callbacks):
    """The rewritten payloads are still the strict JSON the LRS serves."""
    user, _ = _person_with_everything(client, django_capture_on_commit_callbacks)
    person_erase(user_id=user.pk, reason="request")
    for payload in Statement.objects.values_list("payload", flat=True):
        json.loads(payload)


def test_forwarding_targets_are_told_without_naming_the_person(
    caplog, django_capture_on_commit_callbacks
):
    from tests.factories.lrs_forwarding import ForwardingTargetFactory

    ForwardingTargetFactory(name="Department LRS")
    user = UserFactory(email=EMAIL)
    [statement_id] = statements_store(
        statements=[
            {
                "actor": {"mbox": f"mailto:{EMAIL}"},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
                "object": {"id": "https://content.example.com/video/1"},
            }
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(user_id=user.pk, reason="request")
    [message] = [r.getMessage() for r in caplog.records if "forwarding target" in r.getMessage()]
    assert "'Department LRS'" in message and statement_id in message
    assert EMAIL not in message
