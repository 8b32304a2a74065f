"""Reads for the coverage pages and exports: access scope, the protected cube, trends."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Max, Q, Sum

from courses.models import Skill
from courses.selectors import live_courses
from learners.models import Organisation, Profile, Role
from learners.selectors import user_role_names

from .coverage import ALL, LEVELS, CoverageInput, PublishedCube, at_or_above, protect_coverage
from .disclosure import SUPPRESSED, DisclosureRule, series_suppressions, share
from .models import (
    AggregationState,
    CoverageCount,
    CoverageSnapshot,
    HeadcountRecord,
    Series,
    SkillTarget,
)


def disclosure_rule() -> DisclosureRule:
    """The rule in force: settings REPORTING_DISCLOSURE_THRESHOLD and _ROUNDING (10 and 5)."""
    return DisclosureRule(
        threshold=getattr(settings, "REPORTING_DISCLOSURE_THRESHOLD", 10),
        rounding_base=getattr(settings, "REPORTING_DISCLOSURE_ROUNDING", 5),
    )


# --- Who may see what -------------------------------------------------------------------------


def is_central_analyst(user) -> bool:
    """Central analysts (and superusers) see every department, under the same protection."""
    return user.is_superuser or Role.ANALYST.value in user_role_names(user)


def reportable_departments(user):
    """The departments whose coverage this user may see: all for central analysts, the ones
    they lead for HR leads, none for anyone else.
    """
    if not user.is_authenticated:
        return Organisation.objects.none()
    if is_central_analyst(user):
        return Organisation.objects.live().departments()
    return Organisation.objects.filter(hr_leads__user=user).order_by("name")


def coverage_access(user):
    """Organisations whose existence means the user may see skills coverage: a queryset, so
    that the service navigation can ask this with its other questions in one query.
    """
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.live().departments()
    analyst = Q(Exists(user.groups.filter(name=Role.ANALYST.value)))
    departments = Organisation.objects.live().departments().values("pk")
    return Organisation.objects.filter(
        (analyst & Q(pk__in=departments)) | (~analyst & Q(hr_leads__user=user))
    )


def can_see_coverage(user) -> bool:
    """Whether `reportable_departments(user)` has any department, in one query."""
    return coverage_access(user).exists()


def department_for(user, code: str) -> Organisation:
    """The department with this code, if the user may see it; PermissionDenied otherwise."""
    department = reportable_departments(user).filter(code=code).first()
    if department is None:
        raise PermissionDenied("You can only see skills coverage for your own department.")
    return department


def counted_organisation_ids(department: Organisation) -> list[int]:
    """The department, its sub-organisations, and closed organisations it alone superseded
    (machinery-of-government changes), so that history stays comparable.
    """
    ids = {department.pk}
    ids.update(department.children.filter(format="Sub organisation").values_list("pk", flat=True))
    frontier = {department.pk}
    while frontier:
        predecessors = Organisation.objects.filter(superseded_by__in=frontier).exclude(pk__in=ids)
        new = {
            org.pk
            for org in predecessors.prefetch_related("superseded_by")
            if len(org.superseded_by.all()) == 1
        }
        ids |= new
        frontier = new
    return sorted(ids)


# --- The protected cube -------------------------------------------------------------------


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


def published_cube(
    *, department: Organisation, series: str = Series.EVIDENCED, period: date | None = None
) -> PublishedCube:
    """The department's protected cube for the current figures or a past month (cached until
    the next aggregation run or headcount upload).
    """
    rule = disclosure_rule()
    targets = dict(
        SkillTarget.objects.filter(organisation=department).values_list("skill_id", "level")
    )
    version = f"{rule}:{_data_version()}:{sorted(targets.items())}"
    key = (
        f"coverage:{department.pk}:{series}:{period or 'current'}:"
        f"{hashlib.sha1(version.encode(), usedforsecurity=False).hexdigest()}"
    )
    cube = _recent_cubes.get(key) or cache.get(key)
    if cube is None:
        organisation_ids = counted_organisation_ids(department)
        data = (
            _current_input(organisation_ids, series)
            if period is None
            else _snapshot_input(organisation_ids, series, period)
        )
        skills = list(Skill.objects.values_list("pk", flat=True))
        cube = protect_coverage(data, skills=skills, rule=rule, targets=targets)
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


# --- Rows for pages and exports -------------------------------------------------------------


RAG_GREEN, RAG_AMBER, RAG_RED, RAG_UNKNOWN = "green", "amber", "red", "unknown"


@dataclass
class SkillRow:
    skill: Skill
    headcount: int | str
    levels: list[tuple[int | str, float | str]]  # (count, share) per level, awareness first
    not_evidenced: tuple[int | str, float | str]
    target: SkillTarget | None
    achieved: int | str
    achieved_share: float | str
    gap_points: float | str
    rag: str
    courses: list


def _rag(achieved_share, target: SkillTarget | None) -> tuple[str, float | str]:
    if target is None:
        return "", ""
    if achieved_share == SUPPRESSED:
        return RAG_UNKNOWN, SUPPRESSED
    percent = achieved_share * 100
    gap = round(target.target_percent - percent, 1)
    if percent >= target.target_percent:
        return RAG_GREEN, gap
    if percent >= 0.8 * target.target_percent:
        return RAG_AMBER, gap
    return RAG_RED, gap


COURSES_BY_SKILL_SECONDS = 300


def courses_by_skill() -> dict[int, list[tuple[str, str]]]:
    """(title, url) of live courses that build each skill, for the "courses that build it"
    column; cached for a few minutes, since the catalogue changes rarely.
    """
    result = cache.get("reporting:courses-by-skill")
    if result is None:
        result = defaultdict(list)
        for course in live_courses().only("title", "url_path", "path", "depth"):
            url = course.get_url()
            for course_skill in course.course_skills.all():
                result[course_skill.skill_id].append((course.title, url))
        result = dict(result)
        cache.set("reporting:courses-by-skill", result, timeout=COURSES_BY_SKILL_SECONDS)
    return result


def coverage_rows(
    *, department: Organisation, cube: PublishedCube, slice_key=ALL, skills=None
) -> list[SkillRow]:
    """One row per skill for a slice of the cube (the whole department, a grade, a profession)."""
    targets = {t.skill_id: t for t in SkillTarget.objects.filter(organisation=department)}
    skills = list(skills if skills is not None else Skill.objects.order_by("name"))
    courses = courses_by_skill()
    headcount = cube.headcount(slice_key)
    rows = []
    for skill in skills:
        target = targets.get(skill.pk)
        levels = []
        for level in LEVELS:
            count = cube.cell(slice_key, skill.pk, level)
            levels.append((count, share(count, headcount)))
        none = cube.cell(slice_key, skill.pk, "none")
        achieved = at_or_above(cube, slice_key, skill.pk, target.level) if target else ""
        achieved_share = share(achieved, headcount) if target else ""
        rag, gap = _rag(achieved_share, target)
        rows.append(
            SkillRow(
                skill=skill,
                headcount=headcount,
                levels=levels,
                not_evidenced=(none, share(none, headcount)),
                target=target,
                achieved=achieved,
                achieved_share=achieved_share,
                gap_points=gap,
                rag=rag,
                courses=courses.get(skill.pk, []),
            )
        )
    rows.sort(key=lambda row: (row.target is None, row.skill.name))
    return rows


@dataclass
class TrendPoint:
    period: date | None
    headcount: int | str
    levels: list[int | str]


def skill_trend(*, department: Organisation, skill: Skill, series: str) -> list[TrendPoint]:
    """The skill's people at each level month by month (whole department), with values that
    would reveal small changes between months suppressed (see series_suppressions).
    """
    rule = disclosure_rule()
    periods = [*snapshot_periods(department=department), None]
    cubes = [published_cube(department=department, series=series, period=p) for p in periods]
    columns = [[cube.cell(ALL, skill.pk, level) for cube in cubes] for level in LEVELS]
    heads = [cube.headcount(ALL) for cube in cubes]
    for values in (*columns, heads):
        hidden = series_suppressions([None if v == SUPPRESSED else v for v in values], rule)
        for position in hidden:
            values[position] = SUPPRESSED
    return [
        TrendPoint(period=period, headcount=heads[i], levels=[col[i] for col in columns])
        for i, period in enumerate(periods)
    ]


@dataclass
class DepartmentComparison:
    department: Organisation
    headcount: int | str
    at_or_above: int | str
    share: float | str


def department_comparison(*, skill: Skill, level: int) -> list[DepartmentComparison]:
    """Every live department's people at or above a level of a skill, each from its own
    protected cube (departments do not overlap, so no figure can be subtracted from another).
    """
    rows = []
    for department in Organisation.objects.live().departments().order_by("name"):
        cube = published_cube(department=department)
        headcount = cube.headcount(ALL)
        count = at_or_above(cube, ALL, skill.pk, level)
        rows.append(
            DepartmentComparison(
                department=department,
                headcount=headcount,
                at_or_above=count,
                share=share(count, headcount),
            )
        )
    return rows


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
