"""The curriculum: the DDaT capability framework and the course pages."""

from .framework import Role, RoleFamily, RoleLevel, RoleLevelSkill, Skill, SkillLevel
from .pages import HomePage

__all__ = [
    "HomePage",
    "Role",
    "RoleFamily",
    "RoleLevel",
    "RoleLevelSkill",
    "Skill",
    "SkillLevel",
]
