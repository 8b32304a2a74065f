"""Writes of the reporting app. Each module's public functions are re-exported here."""

from .aggregation import (
    coverage_rebuild,
    coverage_snapshot_build,
    coverage_update,
    learner_levels_recompute,
)
from .settings import (
    HeadcountUploadError,
    headcount_upload,
    report_access_log,
    skill_target_remove,
    skill_target_set,
)

__all__ = [
    "HeadcountUploadError",
    "coverage_rebuild",
    "coverage_snapshot_build",
    "coverage_update",
    "headcount_upload",
    "learner_levels_recompute",
    "report_access_log",
    "skill_target_remove",
    "skill_target_set",
]
