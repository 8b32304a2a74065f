"""Reads for the coverage pages and exports: access scope, the protected cube, page rows.

Each module's public names are re-exported here.
"""

from reporting.coverage import ALL

from .access import (
    can_see_coverage,
    counted_organisation_ids,
    coverage_access,
    department_for,
    disclosure_rule,
    is_central_analyst,
    reportable_departments,
)
from .cubes import (
    _recent_cubes,
    coverage_last_run_finished,
    published_cube,
    published_cubes_warm,
    snapshot_periods,
)
from .rows import (
    RAG_AMBER,
    RAG_GREEN,
    RAG_RED,
    RAG_UNKNOWN,
    DepartmentComparison,
    RoleNeed,
    SkillRow,
    TrendPoint,
    courses_by_skill,
    coverage_rows,
    department_comparison,
    department_targets,
    framework_groups,
    role_rows,
    role_skill_needs,
    shortfall_rows,
    skill_trend,
    trend_level,
)

__all__ = [
    "ALL",
    "RAG_AMBER",
    "RAG_GREEN",
    "RAG_RED",
    "RAG_UNKNOWN",
    "DepartmentComparison",
    "RoleNeed",
    "SkillRow",
    "TrendPoint",
    "_recent_cubes",
    "can_see_coverage",
    "counted_organisation_ids",
    "coverage_access",
    "coverage_last_run_finished",
    "courses_by_skill",
    "coverage_rows",
    "department_comparison",
    "department_for",
    "department_targets",
    "disclosure_rule",
    "framework_groups",
    "is_central_analyst",
    "published_cube",
    "published_cubes_warm",
    "reportable_departments",
    "role_rows",
    "role_skill_needs",
    "shortfall_rows",
    "skill_trend",
    "snapshot_periods",
    "trend_level",
]
