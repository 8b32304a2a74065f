"""Email notifications. Each email has a key; a key already recorded is never sent again."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from challenges.models import (
    Invitation,
    MentorAssignment,
    SentNotification,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)

logger = logging.getLogger(__name__)

REMINDER_WINDOW = timedelta(hours=48)


def _url(name: str, *args) -> str:
    return settings.SITE_BASE_URL + reverse(name, args=args)


def notification_send(
    *, key: str, recipient: str, subject: str, template: str, context: dict
) -> bool:
    """Send one email unless its key was sent before; returns whether it was sent now.

    The record and the sending share a transaction: if sending fails the record goes too, so
    a retry sends it; if two runs race, the unique key lets only one through.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = SentNotification(key=key, recipient=recipient)
                record.full_clean(validate_unique=False)
                record.save()
        except IntegrityError:
            logger.info("notification %s already sent", key)
            return False
        body = render_to_string(template, context)
        send_mail(
            settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
            body,
            None,
            [recipient],
        )
    return True


def notify_submission_received(*, submission_id: int, round: int) -> int:
    """Tell every team member their submission (or resubmission) arrived."""
    submission = Submission.objects.select_related("challenge").get(pk=submission_id)
    sent = 0
    for member in submission.members.select_related("user"):
        sent += notification_send(
            key=f"received:{submission.pk}:{round}:{member.user_id}",
            recipient=member.user.email,
            subject=f"We have received your submission to {submission.challenge.title}",
            template="challenges/email/submission_received.txt",
            context={
                "submission": submission,
                "round": round,
                "url": _url("challenges:submission_detail", submission.pk),
            },
        )
    return sent


def notify_invitation(*, invitation_id: int) -> int:
    """Invite someone, by email, to join a team."""
    invitation = Invitation.objects.select_related("submission__challenge", "invited_by").get(
        pk=invitation_id
    )
    return int(
        notification_send(
            key=f"invitation:{invitation.pk}",
            recipient=invitation.email,
            subject=f"Join a team for {invitation.submission.challenge.title}",
            template="challenges/email/invitation.txt",
            context={
                "invitation": invitation,
                "url": _url("challenges:invitation", invitation.token),
            },
        )
    )


def notify_mentor_assigned(*, assignment_id: int) -> int:
    """Tell a mentor a submission waits for their review (no entrant names: blind review)."""
    assignment = MentorAssignment.objects.select_related("submission__challenge", "mentor").get(
        pk=assignment_id
    )
    return int(
        notification_send(
            key=f"assigned:{assignment.pk}",
            recipient=assignment.mentor.email,
            subject=f"A submission to {assignment.submission.challenge.title} needs your review",
            template="challenges/email/mentor_assigned.txt",
            context={"assignment": assignment, "url": _url("challenges:review", assignment.pk)},
        )
    )


def notify_decision(*, event_id: int) -> int:
    """Tell the team about a decision: feedback to act on, a shortlist, acceptance or not."""
    event = SubmissionEvent.objects.select_related("submission__challenge").get(pk=event_id)
    submission = event.submission
    if event.to_status == SubmissionStatus.CHANGES_REQUESTED:
        subject = f"Feedback is ready on your submission to {submission.challenge.title}"
    else:
        subject = f"A decision on your submission to {submission.challenge.title}"
    sent = 0
    for member in submission.members.select_related("user"):
        sent += notification_send(
            key=f"decision:{event.pk}:{member.user_id}",
            recipient=member.user.email,
            subject=subject,
            template="challenges/email/decision.txt",
            context={
                "submission": submission,
                "event": event,
                "status": SubmissionStatus(event.to_status).label,
                "url": _url("challenges:submission_detail", submission.pk),
            },
        )
    return sent


def deadline_reminders_send(*, now=None) -> int:
    """Remind teams with a draft that the challenge closes within 48 hours; once per deadline."""
    now = now or timezone.now()
    drafts = Submission.objects.filter(
        status=SubmissionStatus.DRAFT,
        challenge__live=True,
        challenge__closes_at__gt=now,
        challenge__closes_at__lte=now + REMINDER_WINDOW,
    ).select_related("challenge")
    sent = 0
    for submission in drafts:
        closes = submission.challenge.closes_at
        for member in submission.members.select_related("user"):
            sent += notification_send(
                key=f"reminder:{submission.pk}:{member.user_id}:{closes.isoformat()}",
                recipient=member.user.email,
                subject=f"{submission.challenge.title} closes soon: submit your draft",
                template="challenges/email/deadline_reminder.txt",
                context={
                    "submission": submission,
                    "closes_at": closes,
                    "url": _url("challenges:submission_detail", submission.pk),
                },
            )
    return sent
