"""Entrants' writes: start, edit, submit and withdraw a submission."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from challenges import xapi
from challenges.models import (
    AssignmentStatus,
    ChallengePage,
    MentorAssignment,
    Submission,
    SubmissionMember,
    SubmissionStatus,
)
from courses.dates import govuk_date, govuk_time
from learners.lrs.services import statements_store

from ._common import enqueue, has_active_entry, lock_submission, require_editable, require_member
from .workflow import event_record, submission_transition

CHALLENGE_NOT_OPEN = "This challenge is not open for entries."
ALREADY_ENTERED = "You are already in a submission to this challenge."
DEADLINE_PASSED = "The deadline for this challenge was {deadline}. Submissions are now closed."
STALE_FORM = "This submission changed since you opened the page. Check it and submit again."
TITLE_REQUIRED = "Enter a title for your submission"


def _deadline_text(challenge: ChallengePage) -> str:
    return f"{govuk_time(challenge.closes_at)} on {govuk_date(challenge.closes_at)}"


@transaction.atomic
def submission_start(
    *, challenge: ChallengePage, user, title: str, summary: str = ""
) -> Submission:
    """Start a draft while the challenge is open; the starter leads the team.

    A person has at most one submission (not withdrawn) per challenge.
    """
    if not challenge.live or not challenge.is_open_at(timezone.now()):
        raise ValidationError(CHALLENGE_NOT_OPEN, code="not_open")
    # Lock the person's row so two quick clicks cannot start two drafts.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if has_active_entry(challenge_id=challenge.pk, user=user):
        raise ValidationError(ALREADY_ENTERED, code="already_entered")
    if not title.strip():
        raise ValidationError({"title": TITLE_REQUIRED})
    submission = Submission(
        challenge=challenge, title=title.strip(), summary=summary.strip(), created_by=user
    )
    submission.full_clean()
    submission.save()
    member = SubmissionMember(submission=submission, user=user, is_lead=True)
    member.full_clean()
    member.save()
    event_record(submission=submission, actor=user, action="start")
    return submission


@transaction.atomic
def submission_update(*, submission_id: int, user, title: str, summary: str) -> Submission:
    """Edit the title and solution of a draft (or of a submission sent back for changes)."""
    submission = lock_submission(submission_id)
    require_member(submission=submission, user=user)
    require_editable(submission)
    if not title.strip():
        raise ValidationError({"title": TITLE_REQUIRED})
    submission.title = title.strip()
    submission.summary = summary.strip()
    submission.full_clean()
    submission.save()
    event_record(submission=submission, actor=user, action="edit")
    return submission


@transaction.atomic
def submission_submit(*, submission_id: int, user, expected_round: int) -> tuple[Submission, bool]:
    """Submit a draft before the deadline, or resubmit after a request for changes.

    Idempotent: the row is locked, and a second request for the same round (a double click)
    finds it already submitted and changes nothing; returns (submission, changed).
    A first submission after the deadline is refused; a resubmission asked for by the
    challenge manager is not, because the deadline applied to the first entry.
    """
    from challenges import tasks

    submission = lock_submission(submission_id)
    require_member(submission=submission, user=user)
    if submission.status == SubmissionStatus.CHANGES_REQUESTED:
        if expected_round != submission.round:
            raise ValidationError(STALE_FORM, code="stale")
        submission.round += 1
    elif submission.status == SubmissionStatus.DRAFT:
        if expected_round != submission.round:
            raise ValidationError(STALE_FORM, code="stale")
        challenge = submission.challenge
        if timezone.now() >= challenge.closes_at:
            raise ValidationError(
                DEADLINE_PASSED.format(deadline=_deadline_text(challenge)), code="late"
            )
    elif submission.round == expected_round or submission.round == expected_round + 1:
        # Already submitted by the first of two identical requests.
        if submission.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.IN_REVIEW):
            return submission, False
    submission_transition(submission=submission, actor=user, action="submit")
    statements_store(statements=xapi.submission_submitted(submission=submission, user=user))
    enqueue(tasks.notify_submission_received, submission.pk, submission.round)
    # Mentors who reviewed an earlier round review the new one.
    if MentorAssignment.objects.filter(
        submission=submission, status=AssignmentStatus.ACTIVE
    ).exists():
        submission_transition(submission=submission, actor=user, action="start_review")
    return submission, True


@transaction.atomic
def submission_withdraw(*, submission_id: int, user) -> Submission:
    """Withdraw an entry that has no decision yet; any team member may."""
    submission = lock_submission(submission_id)
    require_member(submission=submission, user=user)
    submission_transition(submission=submission, actor=user, action="withdraw")
    return submission
