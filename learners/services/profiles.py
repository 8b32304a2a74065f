"""Writes to a learner's profile."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from courses.models import RoleLevel
from learners import selectors
from learners.models import Grade, Organisation, Profession, Profile, Role, User

ORGANISATION_NOT_AVAILABLE = "Select a department or agency from the list"


@transaction.atomic
def profile_update(
    *,
    user: User,
    organisation: Organisation | None,
    grade: Grade | None,
    profession: Profession | None,
    current_role_level: RoleLevel | None = None,
    target_role_level: RoleLevel | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
) -> Profile:
    """Set the learner's names (when given), where they work and their DDaT roles.

    Creates the profile on first use. Only live departments and agencies may be chosen.
    Validation happens before anything is written, so a refused update leaves everything as it
    was.
    """
    if (
        organisation is not None
        and not selectors.organisation_choices().filter(pk=organisation.pk).exists()
    ):
        raise ValidationError({"organisation": ORGANISATION_NOT_AVAILABLE})
    profile = Profile.objects.select_for_update().filter(user=user).first() or Profile(user=user)
    profile.organisation = organisation
    profile.grade = grade
    profile.profession = profession
    profile.current_role_level = current_role_level
    profile.target_role_level = target_role_level
    profile.full_clean()
    if first_name is not None or last_name is not None:
        if first_name is not None:
            user.first_name = first_name.strip()
        if last_name is not None:
            user.last_name = last_name.strip()
        user.full_clean(exclude=["password"])
        user.save(update_fields=["first_name", "last_name"])
    profile.save()
    return profile


@transaction.atomic
def profile_hr_lead_set(*, user: User, organisations: list[Organisation]) -> Profile:
    """Make the user HR lead for exactly these departments (an empty list: for none).

    The HR leads group follows the assignments, so the role and what it covers never disagree.
    """
    profile = Profile.objects.select_for_update().filter(user=user).first() or Profile(user=user)
    profile.full_clean()
    profile.save()
    profile.hr_lead_for.set(organisations)
    group, _ = Group.objects.get_or_create(name=Role.HR_LEAD.value)
    if organisations:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    return profile
