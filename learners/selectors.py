"""Reads about people and their roles."""

from .models import Role


def user_role_names(user) -> set[str]:
    """The names of the groups (roles) a user holds, cached on the instance."""
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True))
    return user._role_names


def user_is_privileged(user) -> bool:
    """Anyone beyond a plain learner: staff, superusers and every named role."""
    if user.is_superuser or user.is_staff:
        return True
    return bool(user_role_names(user) & {role.value for role in Role})
