"""Rows for the coverage pages and exports. Every figure is a cell of a protected cube, read
as it is: a target's status, a trend point and a comparison row are the cells the department's
table shows, never a sum or difference of them.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Count

from courses.models import RoleFamily, RoleLevelSkill, Skill, SkillLevel
from courses.selectors import live_courses
from learners.models import Organisation, Profile
from reporting.coverage import ALL, LEVELS, PublishedCube
from reporting.disclosure import SUPPRESSED, share
from reporting.models import SkillTarget

from .access import counted_organisation_ids, disclosure_rule
from .cubes import figures_version, published_cube, snapshot_periods

RAG_GREEN, RAG_AMBER, RAG_RED, RAG_UNKNOWN = "green", "amber", "red", "unknown"
# The level a trend plots when the skill has no target.
DEFAULT_TREND_LEVEL = SkillLevel.WORKING.value


@dataclass
class RoleNeed:
    """A skill the DDaT roles held in the department require: the highest level any of them
    requires, the roles, and the people at that level or above (a cell of the cube).
    """

    level: int
    roles: list[str]
    people: int | str = SUPPRESSED
    share: float | str = SUPPRESSED


@dataclass
class SkillRow:
    skill: Skill
    headcount: int | str
    # (people at the level or above, share of the headcount), awareness first
    levels: list[tuple[int | str, float | str]]
    target: SkillTarget | None
    achieved: int | str
    achieved_share: float | str
    gap_points: float | str
    rag: str
    courses: list
    need: RoleNeed | None = field(default=None)


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


def department_targets(*, department: Organisation) -> dict[int, SkillTarget]:
    """The department's targets by skill id."""
    return {t.skill_id: t for t in SkillTarget.objects.filter(organisation=department)}


def coverage_rows(
    *, department: Organisation, cube: PublishedCube, slice_key=ALL, skills=None
) -> list[SkillRow]:
    """One row per skill (all of them unless `skills` is given), by name, for a slice of the
    cube (the whole department, a grade, a profession).
    """
    targets = department_targets(department=department)
    skills = list(skills if skills is not None else Skill.objects.order_by("name"))
    courses = courses_by_skill()
    headcount = cube.headcount(slice_key)
    rows = []
    for skill in skills:
        target = targets.get(skill.pk)
        levels = []
        for level in LEVELS:
            count = cube.at_or_above(slice_key, skill.pk, level)
            levels.append((count, share(count, headcount)))
        achieved, achieved_share = levels[target.level - 1] if target else ("", "")
        rag, gap = _rag(achieved_share, target)
        rows.append(
            SkillRow(
                skill=skill,
                headcount=headcount,
                levels=levels,
                target=target,
                achieved=achieved,
                achieved_share=achieved_share,
                gap_points=gap,
                rag=rag,
                courses=courses.get(skill.pk, []),
            )
        )
    return rows


def _by_gap(row: SkillRow) -> tuple:
    """Largest gap first; figures that cannot be shown last."""
    if row.gap_points == SUPPRESSED:
        return (1, 0, row.skill.name)
    return (0, -row.gap_points, row.skill.name)


def shortfall_rows(rows: list[SkillRow]) -> list[SkillRow]:
    """The rows with a target, the largest gap to the target first ("where are we short?")."""
    return sorted((row for row in rows if row.target), key=_by_gap)


def role_skill_needs(*, department: Organisation) -> dict[int, RoleNeed]:
    """Skills the DDaT role levels held in the department require, by skill id.

    Only role levels that at least the disclosure threshold of its people hold count, so the
    list never tells that one or two people hold some rare role.
    """
    threshold = disclosure_rule().threshold
    held = (
        Profile.objects.filter(
            organisation_id__in=counted_organisation_ids(department),
            current_role_level__isnull=False,
        )
        .values("current_role_level")
        .annotate(people=Count("pk"))
        .filter(people__gte=threshold)
        .values_list("current_role_level", flat=True)
    )
    needs: dict[int, RoleNeed] = {}
    requirements = RoleLevelSkill.objects.filter(
        role_level__in=list(held), role_level__in_use=True
    ).values_list("skill_id", "level", "role_level__role__name")
    for skill_id, level, role in requirements:
        need = needs.setdefault(skill_id, RoleNeed(level=level, roles=[]))
        need.level = max(need.level, level)
        if role not in need.roles:
            need.roles.append(role)
    for need in needs.values():
        need.roles.sort()
    return needs


def role_rows(rows: list[SkillRow], needs: dict[int, RoleNeed]) -> list[SkillRow]:
    """Rows of skills the department's roles require and that have no target, with the people
    at the required level or above; the lowest share first, figures that cannot be shown last.
    """
    result = []
    for row in rows:
        need = needs.get(row.skill.pk)
        if need is None or row.target:
            continue
        need.people, need.share = row.levels[need.level - 1]
        row.need = need
        result.append(row)

    def order(row):
        if row.need.share == SUPPRESSED:
            return (1, 0, row.skill.name)
        return (0, row.need.share, row.skill.name)

    return sorted(result, key=order)


def framework_groups(rows: list[SkillRow]) -> list[tuple[str, list[SkillRow]]]:
    """The rows grouped by DDaT role family (a skill appears under every family whose roles
    require it), then the skills no role requires.
    """
    by_skill = {row.skill.pk: row for row in rows}
    families = defaultdict(set)
    for family_id, skill_id in RoleLevelSkill.objects.values_list(
        "role_level__role__family_id", "skill_id"
    ).distinct():
        families[family_id].add(skill_id)
    groups, placed = [], set()
    for family in RoleFamily.objects.order_by("name"):
        members = [by_skill[s] for s in families.get(family.pk, ()) if s in by_skill]
        if members:
            members.sort(key=lambda row: row.skill.name)
            groups.append((family.name, members))
            placed |= {row.skill.pk for row in members}
    others = [row for row in rows if row.skill.pk not in placed]
    if others:
        groups.append(("Skills no role requires", others))
    return groups


@dataclass
class TrendPoint:
    period: date | None
    headcount: int | str
    levels: list[int | str]  # people at each level or above, awareness first


def skill_trend(*, department: Organisation, skill: Skill, series: str) -> list[TrendPoint]:
    """The skill's people at each level or above month by month (whole department): each
    month's cells as that month's page shows them.
    """
    periods = [*snapshot_periods(department=department), None]
    points = []
    for period in periods:
        cube = published_cube(department=department, series=series, period=period)
        points.append(
            TrendPoint(
                period=period,
                headcount=cube.headcount(ALL),
                levels=[cube.at_or_above(ALL, skill.pk, level) for level in LEVELS],
            )
        )
    return points


def trend_level(*, department: Organisation, skill: Skill) -> int:
    """The level the trend plots: the target's, or working when the skill has none."""
    target = SkillTarget.objects.filter(organisation=department, skill=skill).first()
    return target.level if target else DEFAULT_TREND_LEVEL


@dataclass
class DepartmentComparison:
    department: Organisation
    headcount: int | str
    at_or_above: int | str
    share: float | str


def department_comparison(*, skill: Skill, level: int) -> list[DepartmentComparison]:
    """Every live department's people at or above a level of a skill: the very cell of the
    department's own cube that its page shows (kept until the figures change: reading some
    thirty cubes costs more than the page).
    """
    departments = list(Organisation.objects.live().departments().order_by("name"))
    ids = ",".join(str(department.pk) for department in departments)
    key = (
        f"coverage:compare:{skill.pk}:{level}:{figures_version()}:"
        f"{hashlib.sha1(ids.encode(), usedforsecurity=False).hexdigest()}"
    )
    rows = cache.get(key)
    if rows is None:
        rows = _comparison_rows(departments, skill, level)
        cache.set(key, rows, timeout=60 * 60)
    return rows


def _comparison_rows(departments, skill, level) -> list[DepartmentComparison]:
    rows = []
    for department in departments:
        cube = published_cube(department=department)
        headcount = cube.headcount(ALL)
        count = cube.at_or_above(ALL, skill.pk, level)
        rows.append(
            DepartmentComparison(
                department=department,
                headcount=headcount,
                at_or_above=count,
                share=share(count, headcount),
            )
        )
    return rows
