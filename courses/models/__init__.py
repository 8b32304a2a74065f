"""The curriculum: the DDaT capability framework and the course pages."""

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
    "CourseFormat",
    "CourseIndexPage",
    "CoursePage",
    "CourseSkill",
    "HomePage",
    "LessonPage",
    "ModulePage",
    "Role",
    "RoleFamily",
    "RoleLevel",
    "RoleLevelSkill",
    "Skill",
    "SkillLevel",
]
