"""Helpers the services share: locking, membership and enqueueing after commit."""

from django.core.exceptions import ValidationError
from django.db import transaction

from challenges.models import Submission, SubmissionMember, SubmissionStatus

NOT_A_MEMBER = "Only members of this submission's team can do that."
NOT_EDITABLE = "This submission can no longer be changed: it is {status}."


def lock_submission(submission_id: int) -> Submission:
    """The submission row, locked until the end of the caller's transaction."""
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("challenge")
        .get(pk=submission_id)
    )


def require_member(*, submission: Submission, user) -> None:
    if not SubmissionMember.objects.filter(submission=submission, user=user).exists():
        raise ValidationError(NOT_A_MEMBER, code="not_member")


def require_editable(submission: Submission) -> None:
    if not submission.is_editable:
        raise ValidationError(
            NOT_EDITABLE.format(status=submission.get_status_display().lower()),
            code="not_editable",
        )


def has_active_entry(*, challenge_id: int, user, exclude_submission_id: int | None = None) -> bool:
    """Whether the user is already in a submission to this challenge that is not withdrawn."""
    memberships = SubmissionMember.objects.filter(
        user=user, submission__challenge_id=challenge_id
    ).exclude(submission__status=SubmissionStatus.WITHDRAWN)
    if exclude_submission_id:
        memberships = memberships.exclude(submission_id=exclude_submission_id)
    return memberships.exists()


def enqueue(task, *args) -> None:
    """Send a Celery task once the surrounding transaction has committed."""
    transaction.on_commit(lambda: task.delay(*args))
