"""People and where they sit in government."""

from .identity import LearnerIdentifier
from .organisations import Grade, Organisation, Profession
from .people import Profile, Role, User

__all__ = [
    "Grade",
    "LearnerIdentifier",
    "Organisation",
    "Profession",
    "Profile",
    "Role",
    "User",
]
