"""The submission workflow: the one table of legal transitions and the audit trail."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from challenges.models import Submission, SubmissionEvent, SubmissionStatus

S = SubmissionStatus

# action -> (the statuses it may start from, the status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({S.DRAFT, S.CHANGES_REQUESTED}), S.SUBMITTED),
    "start_review": (frozenset({S.SUBMITTED}), S.IN_REVIEW),
    "request_changes": (frozenset({S.IN_REVIEW, S.SHORTLISTED}), S.CHANGES_REQUESTED),
    "shortlist": (frozenset({S.IN_REVIEW}), S.SHORTLISTED),
    "accept": (frozenset({S.IN_REVIEW, S.SHORTLISTED}), S.ACCEPTED),
    "reject": (frozenset({S.IN_REVIEW, S.SHORTLISTED}), S.REJECTED),
    "withdraw": (
        frozenset({S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.SHORTLISTED}),
        S.WITHDRAWN,
    ),
}

ILLEGAL_TRANSITION = "You cannot {action} a submission that is {status}."


def allowed_actions(status: str) -> set[str]:
    """The actions the table allows from a status."""
    return {action for action, (sources, _) in TRANSITIONS.items() if status in sources}


def event_record(
    *, submission: Submission, actor, action: str, detail: str = "", from_status: str = ""
) -> SubmissionEvent:
    """Write one audit row: who did what to the submission, and when."""
    event = SubmissionEvent(
        submission=submission,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=submission.status if from_status else "",
        detail=detail,
    )
    event.full_clean()
    event.save()
    return event


def submission_transition(
    *, submission: Submission, actor, action: str, detail: str = ""
) -> SubmissionEvent:
    """Move a (locked) submission along the table, or refuse; every move is audited.

    The caller holds the row lock (select_for_update) and the transaction.
    """
    sources, target = TRANSITIONS[action]
    if submission.status not in sources:
        raise ValidationError(
            ILLEGAL_TRANSITION.format(
                action=action.replace("_", " "), status=submission.get_status_display().lower()
            ),
            code="illegal_transition",
        )
    from_status = submission.status
    submission.status = target
    if target == S.SUBMITTED:
        submission.submitted_at = timezone.now()
    if target in (S.CHANGES_REQUESTED, S.SHORTLISTED, S.ACCEPTED, S.REJECTED):
        submission.decided_at = timezone.now()
        submission.decided_by = actor
    submission.full_clean()
    submission.save()
    return event_record(
        submission=submission,
        actor=actor,
        action=action,
        detail=detail,
        from_status=from_status,
    )
