"""The curriculum: the DDaT capability framework and the course pages."""

from .cmi5 import Cmi5AssignableUnit, Cmi5Package, LaunchMethod, MoveOn
from .framework import Role, RoleFamily, RoleLevel, RoleLevelSkill, Skill, SkillLevel
from .pages import (
    AssessmentPage,
    CourseFormat,
    CourseIndexPage,
    CoursePage,
    CourseSkill,
    HomePage,
    LessonPage,
    ModulePage,
)

__all__ = [
    "AssessmentPage",
    "Cmi5AssignableUnit",
    "Cmi5Package",
    "CourseFormat",
    "CourseIndexPage",
    "CoursePage",
    "CourseSkill",
    "HomePage",
    "LaunchMethod",
    "LessonPage",
    "ModulePage",
    "MoveOn",
    "Role",
    "RoleFamily",
    "RoleLevel",
    "RoleLevelSkill",
    "Skill",
    "SkillLevel",
]
