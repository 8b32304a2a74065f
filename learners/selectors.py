"""Reads about people, their roles and the reference data a profile points at."""

from django.db.models import QuerySet

from courses.models import RoleLevel

from .models import Grade, Organisation, Profession, Profile, Role

# Where civil servants work: departments and their executive agencies.
PROFILE_ORGANISATION_FORMATS = (
    "Ministerial department",
    "Non-ministerial department",
    "Executive agency",
    "Executive office",
    "Civil service",
)


def user_role_names(user) -> set[str]:
    """The names of the groups (roles) a user holds, cached on the instance."""
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True))
    return user._role_names


def user_has_role(user, role: Role) -> bool:
    """True when the user holds the role's group (superusers hold every role)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or role.value in user_role_names(user)


def user_hr_lead_organisations(user) -> QuerySet[Organisation]:
    """The departments whose figures this user may see as an HR lead."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(hr_leads__user=user).order_by("name")


def user_is_privileged(user) -> bool:
    """Anyone beyond a plain learner: staff, superusers, every named role, HR leads and anyone
    who may open the Wagtail admin (by whatever group grants it).

    Privileged people see other people's work or figures, so they need a second factor.
    """
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin"):
        return True
    if user_role_names(user) & {role.value for role in Role}:
        return True
    return user_hr_lead_organisations(user).exists()


def profile_for_user(user) -> Profile | None:
    """The user's profile with its reference rows, or None if they have not started one."""
    return (
        Profile.objects.select_related(
            "organisation",
            "grade",
            "profession",
            "current_role_level__role",
            "target_role_level__role",
        )
        .filter(user=user)
        .first()
    )


def target_role_level_for(user):
    """The role level the user aims for (with its role), or None (one light query when they
    have not chosen one).
    """
    target_id = (
        Profile.objects.filter(user=user).values_list("target_role_level", flat=True).first()
    )
    if target_id is None:
        return None
    return RoleLevel.objects.select_related("role").filter(pk=target_id).first()


def profile_is_complete(user) -> bool:
    """A profile is complete once department, grade and profession are known."""
    profile = profile_for_user(user)
    return bool(profile and profile.is_complete)


def organisation_choices() -> QuerySet[Organisation]:
    """Live departments and agencies a learner can work for, sorted by name."""
    return (
        Organisation.objects.live().filter(format__in=PROFILE_ORGANISATION_FORMATS).order_by("name")
    )


def grade_choices() -> QuerySet[Grade]:
    """Grades from the most junior up."""
    return Grade.objects.order_by("rank")


def profession_choices() -> QuerySet[Profession]:
    """Professions sorted by name."""
    return Profession.objects.order_by("name")


def role_level_choices() -> QuerySet[RoleLevel]:
    """DDaT role levels grouped by role."""
    return RoleLevel.objects.select_related("role").order_by("role__name", "name")
