"""Notification tasks: take ids, call one service, safe to run twice (keyed sends)."""

import logging
from smtplib import SMTPException

from celery import shared_task

from challenges import services

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": True,
    "max_retries": 6,
}


@shared_task(**RETRY)
def notify_submission_received(submission_id: int, round: int) -> int:
    """Email the team that their submission arrived."""
    return services.notify_submission_received(submission_id=submission_id, round=round)


@shared_task(**RETRY)
def notify_invitation(invitation_id: int) -> int:
    """Email an invitation to join a team."""
    return services.notify_invitation(invitation_id=invitation_id)


@shared_task(**RETRY)
def notify_mentor_assigned(assignment_id: int) -> int:
    """Email a mentor about a submission to review."""
    return services.notify_mentor_assigned(assignment_id=assignment_id)


@shared_task(**RETRY)
def notify_decision(event_id: int) -> int:
    """Email the team about a decision or feedback to act on."""
    return services.notify_decision(event_id=event_id)


@shared_task(**RETRY)
def send_deadline_reminders() -> int:
    """Beat, daily: remind teams with drafts of deadlines in the next 48 hours."""
    sent = services.deadline_reminders_send()
    logger.info("sent %d challenge deadline reminders", sent)
    return sent
