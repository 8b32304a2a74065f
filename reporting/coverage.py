"""The published coverage of one department: a cube protected once, then sliced for any filter.

Pure functions over plain numbers. For every skill the cube has one row ("slice") for the
whole department, one per grade and one per profession, and the columns are the four levels,
"not evidenced" and the headcount. Every figure any filter or export can show comes from this
one protected cube, so no two published views can be subtracted to reveal a hidden cell.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from courses.models import SkillLevel

from .disclosure import SUPPRESSED, DisclosureRule, Line, protect

LEVELS = tuple(level.value for level in SkillLevel)
NONE = "none"
HEADCOUNT = "headcount"
COLUMNS = (*LEVELS, NONE)
# People at or above a level, published as cells of their own (with their own equations), so a
# target's status can be shown even where one of the levels it adds up is too small to show.
AT_OR_ABOVE = {2: "ge2", 3: "ge3"}
ALL = ("all", 0)


@dataclass
class CoverageInput:
    """True counts for one department (and its predecessors) in one period and series."""

    # (grade_key, profession_key, skill_id, level) -> people
    counts: Mapping[tuple[int, int, int, int], int]
    # (grade_key, profession_key) -> people on the platform
    platform_headcount: Mapping[tuple[int, int], int]
    # grade_key -> people in the uploaded HR headcount (empty when none was uploaded)
    uploaded_headcount: Mapping[int, int] = field(default_factory=dict)


@dataclass
class PublishedCube:
    """Published values: cube[(slice, skill_id, column)] -> int or SUPPRESSED."""

    values: dict[tuple, int | str]
    slices: list[tuple[str, int]]
    skills: list[int]
    headcount_source: str
    threshold: int = 10

    def cell(self, slice_key, skill_id, column):
        return self.values.get((slice_key, skill_id, column), SUPPRESSED)

    def headcount(self, slice_key):
        return self.values.get((slice_key, HEADCOUNT), SUPPRESSED)


def _slices(data: CoverageInput) -> tuple[list[int], list[int]]:
    grades = {g for g, _p in data.platform_headcount} | {g for g, _p, _s, _l in data.counts}
    grades |= set(data.uploaded_headcount)
    professions = {p for _g, p in data.platform_headcount} | {p for _g, p, _s, _l in data.counts}
    return sorted(grades), sorted(professions)


def _headcounts(data: CoverageInput, grades, professions, evidenced) -> dict:
    """Headcount per slice. The uploaded HR figure replaces the platform's for grade slices;
    it is never below the number of people evidenced there, so "not evidenced" stays >= 0.
    """
    by_grade, by_profession = defaultdict(int), defaultdict(int)
    for (g, p), n in data.platform_headcount.items():
        by_grade[g] += n
        by_profession[p] += n
    if data.uploaded_headcount:
        for g in grades:
            most_evidenced = max(
                (evidenced.get((("grade", g), s), 0) for s in {k[1] for k in evidenced}),
                default=0,
            )
            by_grade[g] = max(data.uploaded_headcount.get(g, 0), most_evidenced)
    result = {("grade", g): by_grade[g] for g in grades}
    result.update({("profession", p): by_profession[p] for p in professions})
    result[ALL] = sum(by_grade[g] for g in grades)
    return result


def protect_coverage(
    data: CoverageInput,
    *,
    skills: Iterable[int],
    rule: DisclosureRule,
    targets: Mapping[int, int] | None = None,
) -> PublishedCube:
    """Protect the whole cube; every filter and export reads its values from the result.

    `targets` (skill id -> level) adds, for those skills, a cell for the people at or above
    the target level, so the target's status can be published.
    """
    targets = targets or {}
    skills = sorted(skills)
    grades, professions = _slices(data)
    grade_slices = [("grade", g) for g in grades]
    profession_slices = [("profession", p) for p in professions]
    slices = [ALL, *grade_slices, *profession_slices]

    evidenced = defaultdict(int)  # (slice, skill) -> people with any level
    level_counts = defaultdict(int)  # (slice, skill, level) -> people
    for (g, p, skill_id, level), n in data.counts.items():
        for slice_key in (ALL, ("grade", g), ("profession", p)):
            level_counts[(slice_key, skill_id, level)] += n
            evidenced[(slice_key, skill_id)] += n
    headcount = _headcounts(data, grades, professions, evidenced)
    uploaded = bool(data.uploaded_headcount)
    if uploaded:
        # Profession slices keep the platform's headcount; make "all" agree with the grades.
        headcount[ALL] = sum(headcount[s] for s in grade_slices)

    # The headcounts are shared by every skill: protect them first, as their own table.
    head_lines = [Line(tuple(grade_slices), ALL)] if grade_slices else []
    if profession_slices and not uploaded:
        head_lines.append(Line(tuple(profession_slices), ALL))
    head_table = protect(headcount, lines=head_lines, rule=rule)
    forced_heads = set(head_table.suppressed)

    values: dict[tuple, int | str] = {}
    while True:
        extra_heads = set()
        per_skill = {}
        for skill_id in skills:
            counts, lines = {}, []
            for slice_key in slices:
                for level in LEVELS:
                    counts[(slice_key, level)] = level_counts[(slice_key, skill_id, level)]
                counts[(slice_key, NONE)] = headcount[slice_key] - evidenced[(slice_key, skill_id)]
                counts[(slice_key, HEADCOUNT)] = headcount[slice_key]
                lines.append(Line(tuple((slice_key, c) for c in COLUMNS), (slice_key, HEADCOUNT)))
            # An "at or above" cell only for a skill's target level and the whole department:
            # each one adds an equation that can hide more of the level cells, and on every
            # slice they would tie the equations into systems too large to audit quickly.
            # Filtered views add up their published cells instead.
            if targets.get(skill_id) in AT_OR_ABOVE:
                column = AT_OR_ABOVE[targets[skill_id]]
                above = tuple((ALL, lv) for lv in LEVELS if lv >= targets[skill_id])
                counts[(ALL, column)] = sum(counts[key] for key in above)
                lines.append(Line(above, (ALL, column)))
            for column in (*COLUMNS, HEADCOUNT):
                if grade_slices:
                    lines.append(Line(tuple((s, column) for s in grade_slices), (ALL, column)))
                if profession_slices and (column in LEVELS or not uploaded):
                    lines.append(Line(tuple((s, column) for s in profession_slices), (ALL, column)))
            table = protect(
                counts,
                lines=lines,
                rule=rule,
                forced={(s, HEADCOUNT) for s in forced_heads},
            )
            per_skill[skill_id] = table
            extra_heads |= {k[0] for k in table.suppressed if k[1] == HEADCOUNT} - forced_heads
        if not extra_heads:
            break
        forced_heads |= extra_heads  # a headcount hidden for one skill is hidden for all

    for skill_id, table in per_skill.items():
        for (slice_key, column), value in table.values.items():
            if column != HEADCOUNT:
                values[(slice_key, skill_id, column)] = value
    for slice_key in slices:
        values[(slice_key, HEADCOUNT)] = (
            SUPPRESSED if slice_key in forced_heads else head_table.values[slice_key]
        )
    return PublishedCube(
        values=values,
        slices=slices,
        skills=skills,
        headcount_source="uploaded" if uploaded else "platform",
        threshold=rule.threshold,
    )


def at_or_above(cube: PublishedCube, slice_key, skill_id, level: int) -> int | str:
    """People at or above a level, from published figures only: the protected cell of its own
    where the cube has one (a target's level), else the sum of the published level cells; for
    awareness, the headcount less "not evidenced". Suppressed if a part is, or if the result
    is below the threshold.
    """
    own_cell = (slice_key, skill_id, AT_OR_ABOVE.get(level))
    if own_cell in cube.values:
        return cube.values[own_cell]
    if level == min(LEVELS):
        parts = [cube.headcount(slice_key), cube.cell(slice_key, skill_id, NONE)]
        if SUPPRESSED in parts:
            return SUPPRESSED
        total = parts[0] - parts[1]
    else:
        parts = [cube.cell(slice_key, skill_id, lv) for lv in LEVELS if lv >= level]
        if SUPPRESSED in parts:
            return SUPPRESSED
        total = sum(parts)
    return SUPPRESSED if total < cube.threshold else total
