from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from challenges import services, tasks
from challenges.models import SentNotification, SubmissionStatus
from tests.factories.challenges import SubmissionFactory, assign, create_challenge
from tests.factories.learners import UserFactory

pytestmark = pytest.mark.django_db


def test_submission_submit_emails_the_team_after_commit(
    challenge, learner, django_capture_on_commit_callbacks
):
    friend = UserFactory()
    submission = SubmissionFactory(challenge=challenge, created_by=learner, members=[friend])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.submission_submit(submission_id=submission.pk, user=learner, expected_round=1)
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    assert sorted(message.to[0] for message in mail.outbox) == sorted([learner.email, friend.email])
    assert "received your submission" in mail.outbox[0].subject


def test_notify_task_run_twice_sends_once(challenge, learner):
    submission = SubmissionFactory(challenge=challenge, created_by=learner)

    tasks.notify_submission_received.delay(submission.pk, 1)
    tasks.notify_submission_received.delay(submission.pk, 1)

    assert len(mail.outbox) == 1
    assert (
        SentNotification.objects.filter(key__startswith=f"received:{submission.pk}:1:").count() == 1
    )


def test_notification_send_failure_leaves_no_record_so_a_retry_sends(learner, settings):
    settings.EMAIL_BACKEND = "tests.challenges.test_notifications.FailingBackend"

    with pytest.raises(OSError):
        services.notification_send(
            key="k1",
            recipient=learner.email,
            subject="s",
            template="challenges/email/invitation.txt",
            context={"invitation": None, "url": "u"},
        )
    assert not SentNotification.objects.filter(key="k1").exists()


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")


def test_mentor_assigned_email_names_no_entrant(
    challenge, boss, mentors, learner, django_capture_on_commit_callbacks
):
    submission = SubmissionFactory(
        challenge=challenge, created_by=learner, status=SubmissionStatus.SUBMITTED
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.mentor_assign(submission_id=submission.pk, mentor=mentors[0], manager=boss)

    [message] = mail.outbox
    assert message.to == [mentors[0].email]
    assert submission.reference in message.body
    assert learner.last_name not in message.body
    assert submission.title not in message.body


def test_deadline_reminders_go_to_drafts_closing_soon_once(learner):
    soon = create_challenge(closes_at=timezone.now() + timedelta(hours=20))
    later = create_challenge(closes_at=timezone.now() + timedelta(days=10))
    draft = SubmissionFactory(challenge=soon, created_by=learner)
    SubmissionFactory(challenge=later)
    SubmissionFactory(challenge=soon, status=SubmissionStatus.SUBMITTED)

    assert tasks.send_deadline_reminders.delay().get() == 1
    assert tasks.send_deadline_reminders.delay().get() == 0

    [message] = mail.outbox
    assert message.to == [learner.email]
    assert draft.title in message.body


def test_decision_emails_feedback_ready_when_changes_are_requested(
    challenge, boss, mentors, learner, django_capture_on_commit_callbacks
):
    submission = SubmissionFactory(
        challenge=challenge, created_by=learner, status=SubmissionStatus.IN_REVIEW
    )
    assignment = assign(submission, mentors[0])
    services.review_submit(
        assignment_id=assignment.pk,
        mentor=mentors[0],
        scores={c.pk: 2 for c in challenge.rubric_criteria.all()},
        comments="Add evidence.",
        recommendation="request_changes",
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_decide(
            submission_id=submission.pk,
            manager=boss,
            decision="request_changes",
            feedback="Please add user research.",
        )

    [message] = mail.outbox
    assert message.to == [learner.email]
    assert message.subject.endswith(f"Feedback is ready on your submission to {challenge.title}")


def test_deadline_reminders_are_on_the_beat_schedule(settings):
    from school.celery import app

    schedule = settings.CELERY_BEAT_SCHEDULE["challenges-deadline-reminders"]
    assert schedule["task"] == tasks.send_deadline_reminders.name
    assert schedule["task"] in app.tasks
