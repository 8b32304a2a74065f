import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from challenges import services
from challenges.models import SubmissionFile, SubmissionStatus
from challenges.services import files
from tests.factories.challenges import SubmissionFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\x00" * 64


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_file_upload_stores_outside_the_web_root_under_our_own_name(challenge, learner):
    submission = SubmissionFactory(challenge=challenge, created_by=learner)

    record = services.file_upload(
        submission_id=submission.pk, user=learner, upload=upload("../../plan.pdf", PDF)
    )

    stored = Path(settings.PRIVATE_STORAGE_ROOT) / record.storage_name
    assert stored.read_bytes() == PDF
    assert "plan" not in record.storage_name
    assert not str(stored).startswith(str(settings.MEDIA_ROOT))
    assert not str(stored).startswith(str(settings.STATIC_ROOT))
    assert record.extension == "pdf"
    assert record.content_type == "application/pdf"


def test_file_upload_checks_the_content_not_the_name(challenge, learner):
    submission = SubmissionFactory(challenge=challenge, created_by=learner)

    with pytest.raises(ValidationError) as error:
        services.file_upload(
            submission_id=submission.pk, user=learner, upload=upload("plan.pdf", PNG)
        )

    assert error.value.message_dict == {
        "upload": [files.FILE_CONTENT_MISMATCH.format(expected="PDF")]
    }
    assert not SubmissionFile.objects.exists()


def test_file_upload_refuses_a_type_the_challenge_does_not_allow(challenge, learner):
    submission = SubmissionFactory(challenge=challenge, created_by=learner)

    with pytest.raises(ValidationError) as error:
        services.file_upload(
            submission_id=submission.pk, user=learner, upload=upload("run.exe", b"MZ" + b"\0" * 60)
        )

    assert "must be a PDF" in error.value.message_dict["upload"][0]
    assert not SubmissionFile.objects.exists()


def test_file_upload_refuses_a_file_over_the_size_limit(challenge, learner):
    submission = SubmissionFactory(challenge=challenge, created_by=learner)
    big = PDF + b"0" * (challenge.max_file_size_bytes)

    with pytest.raises(ValidationError) as error:
        services.file_upload(
            submission_id=submission.pk, user=learner, upload=upload("big.pdf", big)
        )

    assert error.value.message_dict == {"upload": ["The selected file must be smaller than 1 MB"]}


def test_file_upload_refused_after_submitting(challenge, learner):
    submission = SubmissionFactory(
        challenge=challenge, created_by=learner, status=SubmissionStatus.SUBMITTED
    )

    with pytest.raises(ValidationError):
        services.file_upload(
            submission_id=submission.pk, user=learner, upload=upload("plan.pdf", PDF)
        )

    assert not SubmissionFile.objects.exists()


def test_file_delete_removes_the_stored_bytes(
    challenge, learner, django_capture_on_commit_callbacks
):
    submission = SubmissionFactory(challenge=challenge, created_by=learner)
    record = services.file_upload(
        submission_id=submission.pk, user=learner, upload=upload("plan.pdf", PDF)
    )
    stored = Path(settings.PRIVATE_STORAGE_ROOT) / record.storage_name

    with django_capture_on_commit_callbacks(execute=True):
        services.file_delete(file_id=record.pk, user=learner)

    assert not stored.exists()
    assert not SubmissionFile.objects.exists()


def test_file_upload_sniffs_only_the_head_of_a_stream():
    stream = io.BytesIO(PDF)
    stream.name = "x.pdf"
    assert files._detected_type(stream) == ("pdf", "application/pdf")
    assert stream.tell() == 0
