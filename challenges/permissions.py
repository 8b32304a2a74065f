"""Who may do what with challenges: the rules views and services share."""

from challenges.models import (
    AssignmentStatus,
    ChallengePage,
    MentorAssignment,
    Submission,
)
from learners.models import Profile, Role
from learners.selectors import user_role_names

CONFLICT_TEAM_MEMBER = "is a member of the team"
CONFLICT_SAME_DEPARTMENT = "works in the same department as an entrant"
CONFLICT_DECLARED = "has declared a conflict of interest"
CONFLICT_NOT_MENTOR = "is not a mentor"


def is_mentor(user) -> bool:
    return user.is_authenticated and Role.MENTOR.value in user_role_names(user)


def is_manager(user, challenge: ChallengePage) -> bool:
    """Challenge managers are named on the challenge page; superusers may act as one."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or challenge.managers.filter(pk=user.pk).exists()


def manages_any_challenge(user) -> bool:
    """Named manager of at least one challenge: they see entrants' work and files, so they are
    privileged and need their second factor (see school.middleware).
    """
    return user.is_authenticated and ChallengePage.objects.filter(managers=user).exists()


def conflict_of_interest(*, submission: Submission, mentor) -> str | None:
    """Why this mentor may not review this submission, or None when they may."""
    if Role.MENTOR.value not in user_role_names(mentor):
        return CONFLICT_NOT_MENTOR
    member_ids = set(submission.members.values_list("user_id", flat=True))
    if mentor.pk in member_ids:
        return CONFLICT_TEAM_MEMBER
    if MentorAssignment.objects.filter(
        submission=submission, mentor=mentor, status=AssignmentStatus.CONFLICT
    ).exists():
        return CONFLICT_DECLARED
    if submission.challenge.exclude_same_department:
        mentor_org = (
            Profile.objects.filter(user=mentor).values_list("organisation_id", flat=True).first()
        )
        if mentor_org is not None:
            entrant_orgs = set(
                Profile.objects.filter(user_id__in=member_ids).values_list(
                    "organisation_id", flat=True
                )
            )
            if mentor_org in entrant_orgs:
                return CONFLICT_SAME_DEPARTMENT
    return None
