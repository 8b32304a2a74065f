import pytest
from django.core.exceptions import ValidationError

from challenges import services
from challenges.models import InvitationStatus
from challenges.services import teams
from tests.factories.challenges import SubmissionFactory, create_challenge
from tests.factories.learners import UserFactory

pytestmark = pytest.mark.django_db


def test_invitation_accept_adds_the_invited_person(challenge, learner):
    submission = SubmissionFactory(challenge=challenge, created_by=learner)
    friend = UserFactory(email="friend@example.gov.uk")

    invitation = services.invitation_create(
        submission_id=submission.pk, user=learner, email="Friend@Example.gov.uk"
    )
    services.invitation_accept(token=invitation.token, user=friend)

    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert set(submission.members.values_list("user__email", flat=True)) == {
        learner.email,
        friend.email,
    }


def test_invitation_accept_by_someone_else_is_refused(challenge, learner):
    submission = SubmissionFactory(challenge=challenge, created_by=learner)
    invitation = services.invitation_create(
        submission_id=submission.pk, user=learner, email="friend@example.gov.uk"
    )
    stranger = UserFactory()

    with pytest.raises(ValidationError) as error:
        services.invitation_accept(token=invitation.token, user=stranger)

    assert error.value.messages == [teams.INVITATION_OTHER_PERSON]
    assert submission.members.count() == 1


def test_invitation_create_counts_pending_invitations_against_the_team_size(learner):
    challenge = create_challenge(max_team_size=2)
    submission = SubmissionFactory(challenge=challenge, created_by=learner)
    services.invitation_create(submission_id=submission.pk, user=learner, email="a@example.gov.uk")

    with pytest.raises(ValidationError) as error:
        services.invitation_create(
            submission_id=submission.pk, user=learner, email="b@example.gov.uk"
        )

    assert error.value.message_dict == {"email": [teams.TEAM_FULL.format(size=2)]}
    assert submission.invitations.count() == 1


def test_invitation_create_refused_for_individual_challenges(learner):
    challenge = create_challenge(max_team_size=1)
    submission = SubmissionFactory(challenge=challenge, created_by=learner)

    with pytest.raises(ValidationError) as error:
        services.invitation_create(
            submission_id=submission.pk, user=learner, email="a@example.gov.uk"
        )

    assert error.value.message_dict == {"email": [teams.INDIVIDUAL_ONLY]}


def test_invitation_accept_refused_when_already_in_another_submission(challenge, learner):
    friend = UserFactory(email="friend@example.gov.uk")
    SubmissionFactory(challenge=challenge, created_by=friend)
    submission = SubmissionFactory(challenge=challenge, created_by=learner)
    invitation = services.invitation_create(
        submission_id=submission.pk, user=learner, email=friend.email
    )

    with pytest.raises(ValidationError):
        services.invitation_accept(token=invitation.token, user=friend)

    assert submission.members.count() == 1


def test_invitation_decline_frees_the_place(challenge, learner):
    submission = SubmissionFactory(challenge=challenge, created_by=learner)
    friend = UserFactory(email="friend@example.gov.uk")
    invitation = services.invitation_create(
        submission_id=submission.pk, user=learner, email=friend.email
    )

    services.invitation_decline(token=invitation.token, user=friend)

    with pytest.raises(ValidationError) as error:
        services.invitation_accept(token=invitation.token, user=friend)
    assert error.value.messages == [teams.INVITATION_CLOSED]
    assert submission.members.count() == 1


@pytest.mark.parametrize("email", ["friend@gmail.com", "someone@notgov.uk", "x@gov.uk.evil.com"])
def test_invitation_create_refuses_addresses_that_could_never_sign_up(learner, email):
    challenge = create_challenge(max_team_size=3)
    submission = SubmissionFactory(challenge=challenge, created_by=learner)

    with pytest.raises(ValidationError) as error:
        services.invitation_create(submission_id=submission.pk, user=learner, email=email)

    assert error.value.message_dict == {"email": [teams.NOT_GOVERNMENT_INVITEE.format(email=email)]}
    assert not submission.invitations.exists()
    assert not submission.events.filter(action="invite").exists()


def test_invite_page_shows_the_government_address_rule(learner):
    from django.urls import reverse

    from tests.challenges.conftest import client_for

    challenge = create_challenge(max_team_size=3)
    submission = SubmissionFactory(challenge=challenge, created_by=learner)

    response = client_for(learner).post(
        reverse("challenges:invite", args=[submission.pk]), {"email": "friend@gmail.com"}
    )

    assert response.status_code == 400
    assert "only people with a government email address" in response.content.decode()
