"""The protected cube of a department for a series and month, cached until the data change."""

import hashlib
from collections import defaultdict
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Max, Sum

from courses.models import Skill
from learners.models import Organisation, Profile
from reporting.coverage import CoverageInput, PublishedCube, protect_coverage
from reporting.models import (
    AggregationState,
    CoverageCount,
    CoverageSnapshot,
    HeadcountRecord,
    Series,
)

from .access import counted_organisation_ids, disclosure_rule


def _current_input(organisation_ids, series) -> CoverageInput:
    counts = defaultdict(int)
    rows = CoverageCount.objects.filter(organisation_id__in=organisation_ids, series=series)
    for g, p, s, level, n in rows.values_list(
        "grade_key", "profession_key", "skill_id", "level", "count"
    ):
        counts[(g, p, s, level)] += n
    headcount = defaultdict(int)
    for g, p in Profile.objects.filter(organisation_id__in=organisation_ids).values_list(
        "grade_id", "profession_id"
    ):
        headcount[(g or 0, p or 0)] += 1
    uploaded = dict(
        HeadcountRecord.objects.filter(organisation_id__in=organisation_ids)
        .values_list("grade_id")
        .annotate(total=Sum("headcount"))
    )
    return CoverageInput(counts=counts, platform_headcount=headcount, uploaded_headcount=uploaded)


def _snapshot_input(organisation_ids, series, period) -> CoverageInput:
    counts, headcount = defaultdict(int), defaultdict(int)
    for snapshot in CoverageSnapshot.objects.filter(
        organisation_id__in=organisation_ids, series=series, period=period
    ):
        for g, p, s, level, n in snapshot.counts:
            counts[(g, p, s, level)] += n
        for g, p, n in snapshot.headcount:
            headcount[(g, p)] += n
    uploaded = dict(
        HeadcountRecord.objects.filter(organisation_id__in=organisation_ids)
        .values_list("grade_id")
        .annotate(total=Sum("headcount"))
    )
    return CoverageInput(counts=counts, platform_headcount=headcount, uploaded_headcount=uploaded)


def _data_version() -> str:
    """Changes whenever the figures can: after an aggregation run or a headcount upload."""
    state = (
        AggregationState.objects.filter(name="coverage")
        .values_list("last_run_finished", "watermark")
        .first()
    )
    uploads = HeadcountRecord.objects.aggregate(latest=Max("uploaded_at"), rows=Count("pk"))
    return hashlib.sha1(f"{state}-{uploads}".encode(), usedforsecurity=False).hexdigest()


def figures_version() -> str:
    """A key part that changes with the rule in force and whenever the figures can."""
    version = f"{disclosure_rule()}:{_data_version()}"
    return hashlib.sha1(version.encode(), usedforsecurity=False).hexdigest()


def published_cube(
    *, department: Organisation, series: str = Series.EVIDENCED, period: date | None = None
) -> PublishedCube:
    """The department's protected cube for the current figures or a past month (cached until
    the next aggregation run or headcount upload).
    """
    rule = disclosure_rule()
    key = f"coverage:{department.pk}:{series}:{period or 'current'}:{figures_version()}"
    cube = _recent_cubes.get(key) or cache.get(key)
    if cube is None:
        organisation_ids = counted_organisation_ids(department)
        data = (
            _current_input(organisation_ids, series)
            if period is None
            else _snapshot_input(organisation_ids, series, period)
        )
        skills = list(Skill.objects.values_list("pk", flat=True))
        cube = protect_coverage(data, skills=skills, rule=rule)
        cache.set(key, cube, timeout=60 * 60)
    _remember(key, cube)
    return cube


# The shared cache holds cubes for every process; this keeps the last few in this process too,
# since unpickling a large cube costs more than the rest of a dashboard request. Keys carry the
# data version, so a stale cube is never served.
_RECENT_CUBES_KEPT = 16
_recent_cubes: dict[str, PublishedCube] = {}


def _remember(key: str, cube: PublishedCube) -> None:
    _recent_cubes.pop(key, None)
    _recent_cubes[key] = cube
    while len(_recent_cubes) > _RECENT_CUBES_KEPT:
        _recent_cubes.pop(next(iter(_recent_cubes)))


def snapshot_periods(*, department: Organisation) -> list[date]:
    """Months with a stored snapshot for the department (and its predecessors), oldest first."""
    return sorted(
        set(
            CoverageSnapshot.objects.filter(
                organisation_id__in=counted_organisation_ids(department)
            ).values_list("period", flat=True)
        )
    )


def published_cubes_warm() -> int:
    """Build the current protected cubes of every department that has an HR lead, both series,
    so the first dashboard view after an aggregation run reads a cached cube instead of
    protecting a whole department while the HR lead waits. Returns how many were built or
    found cached.
    """
    departments = Organisation.objects.filter(hr_leads__isnull=False).distinct()
    warmed = 0
    for department in departments:
        for series in Series.values:
            published_cube(department=department, series=series)
            warmed += 1
    return warmed


def coverage_last_run_finished():
    """When the coverage job last finished a run (None before the first): /healthz shows its age."""
    return (
        AggregationState.objects.filter(name="coverage")
        .values_list("last_run_finished", flat=True)
        .first()
    )
