"""People and where they sit in government."""

from .organisations import Grade, Organisation, Profession
from .people import Profile, Role, User

__all__ = ["Grade", "Organisation", "Profession", "Profile", "Role", "User"]
