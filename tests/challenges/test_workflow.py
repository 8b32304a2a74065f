import pytest
from django.core.exceptions import ValidationError

from challenges.models import SubmissionStatus
from challenges.services import TRANSITIONS, allowed_actions, submission_transition
from tests.factories.challenges import SubmissionFactory

pytestmark = pytest.mark.django_db

S = SubmissionStatus


def test_transitions_final_statuses_allow_nothing():
    for status in (S.ACCEPTED, S.REJECTED, S.WITHDRAWN):
        assert allowed_actions(status) == set()


def test_transitions_every_target_is_a_status():
    assert {target for _, target in TRANSITIONS.values()} <= set(S.values)


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_submission_transition_only_follows_the_table(challenge, status, action):
    submission = SubmissionFactory(challenge=challenge, status=status)
    sources, target = TRANSITIONS[action]

    if status in sources:
        event = submission_transition(submission=submission, actor=None, action=action)
        submission.refresh_from_db()
        assert submission.status == target
        assert (event.from_status, event.to_status, event.action) == (status, target, action)
    else:
        with pytest.raises(ValidationError):
            submission_transition(submission=submission, actor=None, action=action)
        submission.refresh_from_db()
        assert submission.status == status
        assert not submission.events.exists()
