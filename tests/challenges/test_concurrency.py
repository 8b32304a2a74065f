"""Races that only a real database with row locks can show."""

import threading

import pytest
from django.db import connection

from challenges import services
from challenges.models import SubmissionEvent, SubmissionStatus
from tests.factories.challenges import SubmissionFactory, create_challenge
from tests.factories.learners import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(count, action):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(action())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_submission_submit_two_simultaneous_clicks_submit_once():
    learner = UserFactory()
    submission = SubmissionFactory(challenge=create_challenge(), created_by=learner)

    results, errors = run_together(
        2,
        lambda: services.submission_submit(
            submission_id=submission.pk, user=learner, expected_round=1
        )[1],
    )

    assert errors == []
    assert sorted(results) == [False, True]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert SubmissionEvent.objects.filter(submission=submission, action="submit").count() == 1


def test_submission_start_two_simultaneous_clicks_start_one_draft():
    learner = UserFactory()
    challenge = create_challenge()

    results, errors = run_together(
        2, lambda: services.submission_start(challenge=challenge, user=learner, title="Idea")
    )

    assert len(results) == 1
    assert len(errors) == 1
    assert challenge.submissions.count() == 1
