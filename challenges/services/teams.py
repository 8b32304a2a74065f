"""Teams: invite teammates by email; they accept or decline."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from challenges.models import Invitation, InvitationStatus, SubmissionMember
from learners.services.email_domains import email_domain_is_allowed, email_normalise

from ._common import enqueue, has_active_entry, lock_submission, require_editable, require_member
from .workflow import event_record

TEAM_FULL = "The team is full: this challenge allows teams of up to {size}."
INDIVIDUAL_ONLY = "This challenge is for individual entries: you cannot invite teammates."
ALREADY_INVITED = "{email} has already been invited."
ALREADY_MEMBER = "{email} is already in the team."
NOT_GOVERNMENT_INVITEE = (
    "{email} cannot join: only people with a government email address, like "
    "name@department.gov.uk, can have an account. Invite them at their work address."
)
INVITATION_CLOSED = "This invitation is no longer open."
INVITATION_OTHER_PERSON = "This invitation was sent to a different email address."


def _places_taken(submission) -> int:
    return (
        submission.members.count()
        + submission.invitations.filter(status=InvitationStatus.PENDING).count()
    )


@transaction.atomic
def invitation_create(*, submission_id: int, user, email: str) -> Invitation:
    """Invite someone to the team by email, within the challenge's team size limit."""
    from challenges import tasks

    submission = lock_submission(submission_id)
    require_member(submission=submission, user=user)
    require_editable(submission)
    try:
        # Matched case-insensitively, so stored in lower case.
        email = email_normalise(email).lower()
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from None
    # The same rule as sign-up: an address that could never hold an account could never accept.
    if not email_domain_is_allowed(email):
        raise ValidationError({"email": NOT_GOVERNMENT_INVITEE.format(email=email)})
    challenge = submission.challenge
    if challenge.max_team_size <= 1:
        raise ValidationError({"email": INDIVIDUAL_ONLY})
    if submission.members.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": ALREADY_MEMBER.format(email=email)})
    if submission.invitations.filter(status=InvitationStatus.PENDING, email=email).exists():
        raise ValidationError({"email": ALREADY_INVITED.format(email=email)})
    if _places_taken(submission) >= challenge.max_team_size:
        raise ValidationError({"email": TEAM_FULL.format(size=challenge.max_team_size)})
    invitation = Invitation(submission=submission, email=email, invited_by=user)
    invitation.full_clean()
    invitation.save()
    event_record(submission=submission, actor=user, action="invite", detail=email)
    enqueue(tasks.notify_invitation, invitation.pk)
    return invitation


def _lock_invitation(token) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("submission")
        .get(token=token)
    )
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(INVITATION_CLOSED, code="closed")
    return invitation


@transaction.atomic
def invitation_accept(*, token, user) -> SubmissionMember:
    """Join the team: only the person invited, once, while the team can still change."""
    invitation = _lock_invitation(token)
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(INVITATION_OTHER_PERSON, code="other_person")
    submission = lock_submission(invitation.submission_id)
    require_editable(submission)
    if has_active_entry(challenge_id=submission.challenge_id, user=user):
        raise ValidationError(
            "You are already in a submission to this challenge.", code="already_entered"
        )
    # The pending invitation held this place, so the team cannot overflow here.
    invitation.status = InvitationStatus.ACCEPTED
    invitation.responded_at = timezone.now()
    invitation.save()
    member = SubmissionMember(submission=submission, user=user)
    member.full_clean()
    member.save()
    event_record(submission=submission, actor=user, action="join")
    return member


@transaction.atomic
def invitation_decline(*, token, user) -> Invitation:
    """Decline an invitation sent to your own address."""
    invitation = _lock_invitation(token)
    if invitation.email.lower() != user.email.lower():
        raise ValidationError(INVITATION_OTHER_PERSON, code="other_person")
    invitation.status = InvitationStatus.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save()
    event_record(submission=invitation.submission, actor=user, action="decline_invitation")
    return invitation


@transaction.atomic
def invitation_cancel(*, invitation_id: int, user) -> Invitation:
    """A team member withdraws an invitation that has not been answered."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    require_member(submission=invitation.submission, user=user)
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(INVITATION_CLOSED, code="closed")
    invitation.status = InvitationStatus.CANCELLED
    invitation.responded_at = timezone.now()
    invitation.save()
    event_record(
        submission=invitation.submission,
        actor=user,
        action="cancel_invitation",
        detail=invitation.email,
    )
    return invitation
