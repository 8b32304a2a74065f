"""The published coverage of one department: a cube protected once, then read by every view.

Pure functions over plain numbers. For every skill the cube has one row ("slice") for the
whole department, one per grade and one per profession. Its figures are *cumulative*: the
people at each level *or above* (awareness or above, working or above, practitioner or above,
expert), and the headcount of each slice. Nothing else is published and nothing is derived
from published figures (no "exactly at a level", no "not evidenced"), so:

- rounding is monotone, so a figure is never below a published part of it (a level's figure
  is at least the next level's, a grade's at most the department's, the headcount at least
  any figure of its slice);
- a target's status, a trend point and a department's row in the comparison are the very cell
  the table shows, so no two views can disagree;
- the only equations a reader can write are the slices adding up to the whole department
  (per level and for the headcount), and the exact audit in `disclosure.protect` makes sure
  no hidden cell can be solved for from them.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from courses.models import SkillLevel

from .disclosure import SUPPRESSED, DisclosureRule, Line, protect

LEVELS = tuple(level.value for level in SkillLevel)
HEADCOUNT = "headcount"
ALL = ("all", 0)
NO_GRADE = 0  # the grade key of people whose profile names no grade


@dataclass
class CoverageInput:
    """True counts for one department (and its predecessors) in one period and series."""

    # (grade_key, profession_key, skill_id, level) -> people whose highest level it is
    counts: Mapping[tuple[int, int, int, int], int]
    # (grade_key, profession_key) -> people on the platform
    platform_headcount: Mapping[tuple[int, int], int]
    # grade_key -> people in the uploaded HR headcount (empty when none was uploaded)
    uploaded_headcount: Mapping[int, int] = field(default_factory=dict)


@dataclass
class PublishedCube:
    """Published values: (slice, skill_id, level) -> people at that level or above, and
    (slice, HEADCOUNT) -> headcount; each an int (rounded) or SUPPRESSED.
    """

    values: dict[tuple, int | str]
    slices: list[tuple[str, int]]
    skills: list[int]
    headcount_source: str  # "platform", "uploaded", or "mixed" (see platform_grades)
    threshold: int = 10
    # With an upload, the grades whose headcount still counts people on the platform because
    # the upload has no row for them.
    platform_grades: list[int] = field(default_factory=list)
    # Whether the professions' headcounts add up to the department's (not with an upload).
    professions_add_up: bool = True

    def at_or_above(self, slice_key, skill_id, level: int) -> int | str:
        return self.values.get((slice_key, skill_id, level), SUPPRESSED)

    def headcount(self, slice_key) -> int | str:
        return self.values.get((slice_key, HEADCOUNT), SUPPRESSED)


def _slices(data: CoverageInput) -> tuple[list[int], list[int]]:
    grades = {g for g, _p in data.platform_headcount} | {g for g, _p, _s, _l in data.counts}
    grades |= set(data.uploaded_headcount)
    professions = {p for _g, p in data.platform_headcount} | {p for _g, p, _s, _l in data.counts}
    return sorted(grades), sorted(professions)


def _cumulative(data: CoverageInput) -> dict:
    """(slice, skill, level) -> true people at that level or above."""
    at_level = defaultdict(int)
    for (g, p, skill_id, level), n in data.counts.items():
        for slice_key in (ALL, ("grade", g), ("profession", p)):
            at_level[(slice_key, skill_id, level)] += n
    result = defaultdict(int)
    for (slice_key, skill_id, level), n in at_level.items():
        for lower in LEVELS:
            if lower <= level:
                result[(slice_key, skill_id, lower)] += n
    return result


def _headcounts(data: CoverageInput, grades, professions, cumulative) -> tuple[dict, list[int]]:
    """Headcount per slice, and the grades an upload does not cover.

    A (grade, profession) cell of the platform's count is never below the people evidenced
    there in any one skill (the counts and the profiles are read at slightly different
    moments), so every slice's headcount is at least every figure of the slice and the slices
    still add up. With an upload, a grade it lists takes the uploaded figure (or the people
    evidenced there, if more), a grade it does not list keeps the platform's count (the page
    says so), people with no grade count only as far as they are evidenced, and the whole
    department is the sum of the grades; professions keep the platform's count.
    """
    evidenced = defaultdict(int)  # (grade, profession, skill) -> people with any level
    for (g, p, skill_id, _level), n in data.counts.items():
        evidenced[(g, p, skill_id)] += n
    by_cell = defaultdict(int, data.platform_headcount)
    for (g, p, _skill), n in evidenced.items():
        by_cell[(g, p)] = max(by_cell[(g, p)], n)
    by_grade, by_profession = defaultdict(int), defaultdict(int)
    for (g, p), n in by_cell.items():
        by_grade[g] += n
        by_profession[p] += n
    uncovered = []
    if data.uploaded_headcount:
        most_by_grade = defaultdict(int)  # grade -> most people evidenced in any one skill
        for (slice_key, _skill, level), n in cumulative.items():
            if slice_key[0] == "grade" and level == LEVELS[0]:
                most_by_grade[slice_key[1]] = max(most_by_grade[slice_key[1]], n)
        for g in grades:
            most = most_by_grade[g]
            if g in data.uploaded_headcount:
                by_grade[g] = max(data.uploaded_headcount[g], most)
            elif g == NO_GRADE:
                by_grade[g] = most
            elif by_grade[g]:
                uncovered.append(g)
    result = {("grade", g): by_grade[g] for g in grades}
    result.update({("profession", p): by_profession[p] for p in professions})
    result[ALL] = sum(by_grade[g] for g in grades)
    return result, uncovered


def _closed_upwards(suppressed: set) -> set:
    """A slice's figure hidden at one level is hidden at every level above it, so each row
    reads as figures from awareness up to some level, then [c].
    """
    return {
        (slice_key, higher)
        for slice_key, level in suppressed
        if level != HEADCOUNT
        for higher in LEVELS
        if higher > level
    }


def protect_coverage(
    data: CoverageInput, *, skills: Iterable[int], rule: DisclosureRule
) -> PublishedCube:
    """Protect the whole cube; every page, chart, comparison and export reads the result."""
    skills = sorted(skills)
    grades, professions = _slices(data)
    grade_slices = [("grade", g) for g in grades]
    profession_slices = [("profession", p) for p in professions]
    slices = [ALL, *grade_slices, *profession_slices]
    cumulative = _cumulative(data)
    headcount, uncovered = _headcounts(data, grades, professions, cumulative)

    head_lines = [Line(tuple(grade_slices), ALL)] if grade_slices else []
    professions_add_up = not data.uploaded_headcount
    if profession_slices and professions_add_up:
        head_lines.append(Line(tuple(profession_slices), ALL))
    head_table = protect(headcount, lines=head_lines, rule=rule)

    values: dict[tuple, int | str] = {}
    for skill_id in skills:
        counts, lines = {}, []
        for level in LEVELS:
            for slice_key in slices:
                counts[(slice_key, level)] = cumulative[(slice_key, skill_id, level)]
            for members in (grade_slices, profession_slices):
                if members:
                    lines.append(Line(tuple((s, level) for s in members), (ALL, level)))
        forced: set = set()
        while True:
            table = protect(counts, lines=lines, rule=rule, forced=forced)
            more = _closed_upwards(table.suppressed) - table.suppressed
            if not more:
                break
            forced = table.suppressed | more
        for (slice_key, level), value in table.values.items():
            values[(slice_key, skill_id, level)] = value
    for slice_key in slices:
        values[(slice_key, HEADCOUNT)] = head_table.values[slice_key]
    if not data.uploaded_headcount:
        source = "platform"
    else:
        source = "mixed" if uncovered else "uploaded"
    return PublishedCube(
        values=values,
        slices=slices,
        skills=skills,
        headcount_source=source,
        threshold=rule.threshold,
        platform_grades=uncovered,
        professions_add_up=professions_add_up,
    )


def published_lines(cube: PublishedCube) -> list[Line]:
    """Every equation a reader can write between the cube's published or hidden cells: the
    grades (and the professions) of each level and of the headcount add up to the whole.
    For the audit of the whole published set (tests).
    """
    grade_slices = [s for s in cube.slices if s[0] == "grade"]
    profession_slices = [s for s in cube.slices if s[0] == "profession"]
    lines = []
    for members in (grade_slices, profession_slices):
        if not members:
            continue
        for skill_id in cube.skills:
            for level in LEVELS:
                lines.append(
                    Line(tuple((s, skill_id, level) for s in members), (ALL, skill_id, level))
                )
        if members is grade_slices or cube.professions_add_up:
            lines.append(Line(tuple((s, HEADCOUNT) for s in members), (ALL, HEADCOUNT)))
    return lines
