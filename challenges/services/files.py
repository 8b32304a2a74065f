"""Supporting files: type checked from the content, size-limited, kept in private storage."""

import uuid

import filetype
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction

from challenges.models import SubmissionFile

from ._common import lock_submission, require_editable, require_member
from .workflow import event_record

FILE_REQUIRED = "Select a file to upload"
FILE_EMPTY = "The selected file is empty"
FILE_TOO_BIG = "The selected file must be smaller than {size} MB"
FILE_TYPE_NOT_ALLOWED = "The selected file must be a {types}"
FILE_CONTENT_MISMATCH = "The selected file's content is not a {expected} file"
TOO_MANY_FILES = "You can upload up to {count} files. Delete one to add another."

# Office Open XML and OpenDocument files are ZIP archives; `filetype` names the specific
# format only when the tell-tale entry lies near the start, so a ZIP is accepted for them.
ZIP_CONTAINERS = {"docx", "xlsx", "pptx", "odt", "ods", "odp"}
EXTENSION_ALIASES = {"jpeg": "jpg"}
SNIFF_BYTES = 8192


def _claimed_extension(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return EXTENSION_ALIASES.get(extension, extension)


def _detected_type(upload) -> tuple[str | None, str]:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return None, ""
    return EXTENSION_ALIASES.get(kind.extension, kind.extension), kind.mime


@transaction.atomic
def file_upload(*, submission_id: int, user, upload) -> SubmissionFile:
    """Store a supporting file if its content (not its name) is an allowed type and it fits.

    The stored name is ours (a UUID), never the uploader's; the original name is kept only
    for the download's Content-Disposition.
    """
    submission = lock_submission(submission_id)
    require_member(submission=submission, user=user)
    require_editable(submission)
    challenge = submission.challenge
    if upload is None:
        raise ValidationError({"upload": FILE_REQUIRED})
    if submission.files.count() >= challenge.max_files:
        raise ValidationError({"upload": TOO_MANY_FILES.format(count=challenge.max_files)})
    if upload.size == 0:
        raise ValidationError({"upload": FILE_EMPTY})
    if upload.size > challenge.max_file_size_bytes:
        raise ValidationError({"upload": FILE_TOO_BIG.format(size=challenge.max_file_size_mb)})
    allowed = challenge.allowed_extensions
    claimed = _claimed_extension(upload.name)
    types_text = ", ".join(challenge.allowed_file_type_labels[:-1])
    if len(allowed) > 1:
        types_text += " or " + challenge.allowed_file_type_labels[-1]
    else:
        types_text = challenge.allowed_file_type_labels[0]
    if claimed not in allowed:
        raise ValidationError({"upload": FILE_TYPE_NOT_ALLOWED.format(types=types_text)})
    detected, mime = _detected_type(upload)
    matches = detected == claimed or (detected == "zip" and claimed in ZIP_CONTAINERS)
    if not matches:
        raise ValidationError({"upload": FILE_CONTENT_MISMATCH.format(expected=claimed.upper())})
    storage = storages["private"]
    name = storage.save(
        f"challenges/{challenge.pk}/{submission.pk}/{uuid.uuid4().hex}.{claimed}", upload
    )
    record = SubmissionFile(
        submission=submission,
        storage_name=name,
        original_name=upload.name[-255:],
        extension=claimed,
        content_type=mime or "application/octet-stream",
        size=upload.size,
        uploaded_by=user,
    )
    record.full_clean()
    record.save()
    event_record(submission=submission, actor=user, action="upload", detail=record.original_name)
    return record


@transaction.atomic
def file_delete(*, file_id: int, user) -> None:
    """Delete a supporting file while the submission can still change."""
    record = SubmissionFile.objects.select_related("submission").get(pk=file_id)
    submission = lock_submission(record.submission_id)
    require_member(submission=submission, user=user)
    require_editable(submission)
    name = record.storage_name
    record.delete()
    event_record(
        submission=submission, actor=user, action="delete_file", detail=record.original_name
    )
    transaction.on_commit(lambda: storages["private"].delete(name))
