"""Retention: each kind of data is deleted when its time is up, and the counts are logged."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.utils import timezone

from learners.lrs.models import Statement
from learners.models import User
from learners.privacy.models import PersonalDataAccess, SubjectAccessRequest
from learners.privacy.services import person_erase, retention_apply, sar_build, sar_request
from reporting.models import ReportAccessLog
from tests.factories.challenges import SubmissionFactory, create_challenge
from tests.factories.learners import UserFactory
from tests.factories.reporting import actor, store

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def _days(kind):
    return timedelta(days=settings.PRIVACY_RETENTION_DAYS[kind])


def test_inactive_accounts_are_erased_only_after_the_period():
    now = timezone.now()
    stale = UserFactory(last_login=now - _days("account") - DAY)
    recent = UserFactory(last_login=now - _days("account") + DAY)
    admin = UserFactory(is_superuser=True, last_login=now - _days("account") - DAY)
    counts = retention_apply(now=now)
    assert counts["inactive_accounts_erased"] == 1
    assert not User.objects.get(pk=stale.pk).is_active
    assert User.objects.get(pk=recent.pk).is_active
    assert User.objects.get(pk=admin.pk).is_active
    log = PersonalDataAccess.objects.get(action=PersonalDataAccess.Action.RETENTION)
    assert "inactive_accounts_erased 1" in log.detail


def test_subject_access_files_expire(django_capture_on_commit_callbacks):
    user = UserFactory()
    access_request = sar_request(subject=user, requested_by=user)
    sar_build(request_id=access_request.pk)
    access_request.refresh_from_db()
    name = access_request.storage_name
    assert storages["private"].exists(name)
    assert retention_apply(now=timezone.now())["subject_access_files_deleted"] == 0
    later = access_request.expires_at + DAY
    assert retention_apply(now=later)["subject_access_files_deleted"] == 1
    assert not storages["private"].exists(name)
    access_request.refresh_from_db()
    assert access_request.status == SubjectAccessRequest.Status.EXPIRED


def test_audit_rows_are_deleted_after_the_period():
    user = UserFactory()
    old = PersonalDataAccess.objects.create(actor=user, subject=user, action="viewed")
    PersonalDataAccess.objects.filter(pk=old.pk).update(at=timezone.now() - _days("audit") - DAY)
    kept = PersonalDataAccess.objects.create(actor=user, subject=user, action="viewed")
    log = ReportAccessLog.objects.create(user=user, action="view", path="/reporting/D2/")
    ReportAccessLog.objects.filter(pk=log.pk).update(at=timezone.now() - _days("audit") - DAY)
    counts = retention_apply(now=timezone.now())
    assert counts["audit_rows_deleted"] == 1
    assert counts["reporting.access_log_deleted"] == 1
    assert PersonalDataAccess.objects.filter(pk=kept.pk).exists()


def test_submission_files_go_after_the_challenge_closes(django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from challenges.models import SubmissionFile
    from challenges.services.files import file_upload

    challenge = create_challenge()
    submission = SubmissionFactory(challenge=challenge)
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    file_upload(
        submission_id=submission.pk,
        user=submission.created_by,
        upload=SimpleUploadedFile("plan.pdf", pdf),
    )
    name = SubmissionFile.objects.get().storage_name
    just_closed = challenge.closes_at + _days("challenge_files") - DAY
    assert retention_apply(now=just_closed)["challenges.files_deleted"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        counts = retention_apply(now=challenge.closes_at + _days("challenge_files") + DAY)
    assert counts["challenges.files_deleted"] == 1
    assert not storages["private"].exists(name)


def test_statements_of_closed_accounts_go_after_the_period():
    user, other = UserFactory(), UserFactory()
    for person in (user, other):
        store(
            {
                "actor": actor(person),
                "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
                "object": {"id": "https://content.example.com/1"},
            }
        )
    record = person_erase(user_id=user.pk, reason="request")
    assert retention_apply(now=timezone.now())["privacy.statements_deleted"] == 0
    later = record.finished_at + _days("learning") + DAY
    assert retention_apply(now=later)["privacy.statements_deleted"] == 1
    remaining = list(Statement.objects.values_list("actor_ifi", "verb_id"))
    assert len(remaining) == 1, remaining
