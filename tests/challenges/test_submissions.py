from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from challenges import services
from challenges.models import SubmissionEvent, SubmissionStatus
from challenges.services import submissions as submission_services
from learners.lrs.models import Statement
from tests.factories.challenges import SubmissionFactory, assign, create_challenge

pytestmark = pytest.mark.django_db


def test_submission_start_makes_a_draft_led_by_the_starter(challenge, learner):
    submission = services.submission_start(challenge=challenge, user=learner, title=" My idea ")

    assert submission.status == SubmissionStatus.DRAFT
    assert submission.title == "My idea"
    assert list(submission.members.values_list("user", "is_lead")) == [(learner.pk, True)]
    assert list(submission.events.values_list("action", flat=True)) == ["start"]


def test_submission_start_refuses_a_second_entry_to_the_same_challenge(challenge, learner):
    services.submission_start(challenge=challenge, user=learner, title="One")

    with pytest.raises(ValidationError) as error:
        services.submission_start(challenge=challenge, user=learner, title="Two")

    assert error.value.messages == [submission_services.ALREADY_ENTERED]
    assert challenge.submissions.count() == 1


def test_submission_start_refuses_a_closed_challenge(learner):
    closed = create_challenge(
        opens_at=timezone.now() - timedelta(days=10), closes_at=timezone.now() - timedelta(days=1)
    )

    with pytest.raises(ValidationError) as error:
        services.submission_start(challenge=closed, user=learner, title="Late idea")

    assert error.value.messages == [submission_services.CHALLENGE_NOT_OPEN]
    assert not closed.submissions.exists()


def test_submission_submit_records_audit_statement_and_time(challenge, learner):
    submission = SubmissionFactory(challenge=challenge, created_by=learner)

    submission, changed = services.submission_submit(
        submission_id=submission.pk, user=learner, expected_round=1
    )

    assert changed
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_at is not None
    event = submission.events.get(action="submit")
    assert (event.actor, event.from_status, event.to_status) == (learner, "draft", "submitted")
    assert (
        Statement.objects.filter(verb_id="http://activitystrea.ms/schema/1.0/submit").count() == 1
    )


def test_submission_submit_twice_for_the_same_round_submits_once(challenge, learner):
    submission = SubmissionFactory(challenge=challenge, created_by=learner)

    services.submission_submit(submission_id=submission.pk, user=learner, expected_round=1)
    again, changed = services.submission_submit(
        submission_id=submission.pk, user=learner, expected_round=1
    )

    assert not changed
    assert again.status == SubmissionStatus.SUBMITTED
    assert SubmissionEvent.objects.filter(submission=submission, action="submit").count() == 1
    assert (
        Statement.objects.filter(verb_id="http://activitystrea.ms/schema/1.0/submit").count() == 1
    )


def test_submission_submit_after_the_deadline_is_refused_with_the_deadline(learner):
    challenge = create_challenge()
    submission = SubmissionFactory(challenge=challenge, created_by=learner)
    challenge.closes_at = timezone.now() - timedelta(minutes=1)
    challenge.save()

    with pytest.raises(ValidationError) as error:
        services.submission_submit(submission_id=submission.pk, user=learner, expected_round=1)

    assert "Submissions are now closed" in error.value.messages[0]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT


def test_submission_submit_by_someone_outside_the_team_is_refused(challenge, learner):
    submission = SubmissionFactory(challenge=challenge)

    with pytest.raises(ValidationError):
        services.submission_submit(submission_id=submission.pk, user=learner, expected_round=1)

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT


def test_submission_resubmit_after_changes_starts_a_new_round_with_the_same_mentors(
    challenge, learner, mentors
):
    submission = SubmissionFactory(
        challenge=challenge, created_by=learner, status=SubmissionStatus.CHANGES_REQUESTED
    )
    assign(submission, mentors[0])
    challenge.closes_at = timezone.now() - timedelta(days=1)
    challenge.save()

    submission, changed = services.submission_submit(
        submission_id=submission.pk, user=learner, expected_round=1
    )

    assert changed
    assert submission.round == 2
    assert submission.status == SubmissionStatus.IN_REVIEW
    again, changed_again = services.submission_submit(
        submission_id=submission.pk, user=learner, expected_round=1
    )
    assert not changed_again
    assert again.round == 2


def test_submission_update_refused_once_submitted(challenge, learner):
    submission = SubmissionFactory(
        challenge=challenge, created_by=learner, status=SubmissionStatus.SUBMITTED
    )

    with pytest.raises(ValidationError):
        services.submission_update(
            submission_id=submission.pk, user=learner, title="New", summary="x"
        )

    submission.refresh_from_db()
    assert submission.title != "New"


def test_submission_withdraw_then_a_new_entry_is_allowed(challenge, learner):
    submission = SubmissionFactory(challenge=challenge, created_by=learner)

    services.submission_withdraw(submission_id=submission.pk, user=learner)
    fresh = services.submission_start(challenge=challenge, user=learner, title="Second go")

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.WITHDRAWN
    assert fresh.status == SubmissionStatus.DRAFT


def test_submission_withdraw_after_a_decision_is_refused(challenge, learner):
    submission = SubmissionFactory(
        challenge=challenge, created_by=learner, status=SubmissionStatus.ACCEPTED
    )

    with pytest.raises(ValidationError) as error:
        services.submission_withdraw(submission_id=submission.pk, user=learner)

    assert error.value.messages == ["You cannot withdraw a submission that is accepted."]
