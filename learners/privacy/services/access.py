"""Subject access: a zip of everything held about a person, built by a Celery task.

The zip holds one JSON file per app (each app's `personal_data.export_personal_data`), the
files the person uploaded, and `index.html`, a readable summary. It is kept in private storage
for settings.PRIVACY_RETENTION_DAYS["sar_files"] days and then deleted (`sar_expire`).
"""

import io
import json
import logging
import zipfile
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from learners.privacy.models import PersonalDataAccess, SubjectAccessRequest
from learners.privacy.register import app_registers, declarations, retention_days

from .audit import audit_record

logger = logging.getLogger(__name__)


class SubjectAccessError(Exception):
    """A request that is not allowed; nothing was changed."""


def _may_request(*, subject, requested_by) -> bool:
    if requested_by.pk == subject.pk:
        return True
    return requested_by.is_superuser


@transaction.atomic
def sar_request(*, subject, requested_by) -> SubjectAccessRequest:
    """Start a download of `subject`'s data for `requested_by` (the person, or an admin).

    A request already being prepared for the same person and requester is returned rather
    than started twice (a double-submit makes one file).
    """
    if subject is None or not subject.is_active:
        raise SubjectAccessError("There is no open account for that person.")
    if not _may_request(subject=subject, requested_by=requested_by):
        raise SubjectAccessError("You can only download your own data.")
    pending = (
        SubjectAccessRequest.objects.select_for_update()
        .filter(
            subject=subject,
            requested_by=requested_by,
            status=SubjectAccessRequest.Status.PENDING,
        )
        .first()
    )
    if pending is not None:
        return pending
    request = SubjectAccessRequest.objects.create(subject=subject, requested_by=requested_by)
    audit_record(
        actor=requested_by,
        subject=subject,
        action=PersonalDataAccess.Action.EXPORT_REQUESTED,
        detail=str(request.key),
    )
    from learners.privacy.tasks import build_subject_access

    transaction.on_commit(lambda: build_subject_access.delay(request.pk))
    return request


def _json(data) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def sar_build(*, request_id: int) -> SubjectAccessRequest | None:
    """Build the zip of a pending request; safe to run twice (a built request is left alone)."""
    request = (
        SubjectAccessRequest.objects.select_related("subject")
        .filter(pk=request_id, status=SubjectAccessRequest.Status.PENDING)
        .first()
    )
    if request is None:
        return None
    subject = request.subject
    registers = [register for register in app_registers() if register.exporter]
    buffer = io.BytesIO()
    sections = []
    try:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, register in enumerate(registers, start=1):
                data = register.exporter(subject)
                files = data.pop("files", [])
                archive.writestr(f"{register.app}.json", _json(data))
                for archive_name, storage_name in files:
                    with storages["private"].open(storage_name) as handle:
                        archive.writestr(f"files/{archive_name}", handle.read())
                sections.append((register.app, data, [name for name, _ in files]))
                SubjectAccessRequest.objects.filter(pk=request.pk).update(
                    progress=int(90 * done / len(registers))
                )
            summary = render_to_string(
                "privacy/subject_access_summary.html",
                {
                    "subject": subject,
                    "sections": sections,
                    "declarations": declarations(),
                    "generated_at": timezone.now(),
                },
            )
            archive.writestr("index.html", summary)
    except Exception:
        logger.exception("subject access request %s failed", request.pk)
        SubjectAccessRequest.objects.filter(pk=request.pk).update(
            status=SubjectAccessRequest.Status.FAILED
        )
        raise
    name = storages["private"].save(
        f"subject-access/{request.key}.zip", ContentFile(buffer.getvalue())
    )
    now = timezone.now()
    SubjectAccessRequest.objects.filter(pk=request.pk).update(
        status=SubjectAccessRequest.Status.READY,
        progress=100,
        storage_name=name,
        size=len(buffer.getvalue()),
        ready_at=now,
        expires_at=now + timedelta(days=retention_days("sar_files")),
    )
    request.refresh_from_db()
    return request


def sar_expire(*, now) -> int:
    """Delete the files of downloads past their expiry; the request rows say "expired"."""
    expired = SubjectAccessRequest.objects.filter(
        status=SubjectAccessRequest.Status.READY, expires_at__lte=now
    )
    count = 0
    for request in expired:
        storages["private"].delete(request.storage_name)
        SubjectAccessRequest.objects.filter(pk=request.pk).update(
            status=SubjectAccessRequest.Status.EXPIRED, storage_name=""
        )
        count += 1
    return count
