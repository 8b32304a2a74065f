"""Personal data of reporting (see learners.privacy.register for the format).

Coverage counts, snapshots and targets are about departments, never a person; what names a
person is each learner's derived level per skill, and who set targets, uploaded headcounts and
opened the reports.
"""

from datetime import timedelta

PERSONAL_DATA = [
    {
        "model": "reporting.LearnerSkillLevel",
        "fields": ["user", "organisation", "grade", "profession", "level"],
        "purpose": "reporting",
        "retention": "derived",
        "erasure": "delete",
    },
    {
        "model": "reporting.SkillTarget",
        "fields": ["set_by"],
        "purpose": "reporting",
        "retention": "editorial",
        "erasure": "keep",
    },
    {
        "model": "reporting.HeadcountRecord",
        "fields": ["uploaded_by"],
        "purpose": "reporting",
        "retention": "editorial",
        "erasure": "keep",
    },
    {
        "model": "reporting.ReportAccessLog",
        "fields": ["user", "path", "parameters"],
        "purpose": "security",
        "retention": "audit",
        "erasure": "keep",
    },
]

NO_PERSONAL_DATA = [
    "reporting.AggregationState",
    "reporting.EvidenceActivity",
    "reporting.CoverageCount",
    "reporting.CoverageSnapshot",
]


def export_personal_data(user) -> dict:
    """The person's derived skill levels, and their own use of the reports."""
    from reporting.models import LearnerSkillLevel, ReportAccessLog

    return {
        "skill_levels": [
            {"skill": row.skill.name, "series": row.series, "level": row.level}
            for row in LearnerSkillLevel.objects.filter(user=user).select_related("skill")
        ],
        "report_access": list(
            ReportAccessLog.objects.filter(user=user).values("action", "path", "at")
        ),
    }


def erase_personal_data(user, *, pseudonym: str) -> dict[str, int]:
    """Delete the person's levels and recompute the coverage without them after commit."""
    from django.db import transaction

    from reporting.models import LearnerSkillLevel
    from reporting.tasks import coverage_rebuild

    deleted = LearnerSkillLevel.objects.filter(user=user).delete()[0]
    transaction.on_commit(coverage_rebuild.delay)
    return {"skill_levels": deleted}


def apply_retention(*, now) -> dict[str, int]:
    """Delete report access log rows older than the audit retention period."""
    from django.conf import settings

    from reporting.models import ReportAccessLog

    cutoff = now - timedelta(days=settings.PRIVACY_RETENTION_DAYS["audit"])
    return {"access_log_deleted": ReportAccessLog.objects.filter(at__lt=cutoff).delete()[0]}
