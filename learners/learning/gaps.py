"""From a skill gap to the courses that close it.

The rule, in one place for the skills profile and the dashboard's recommendations: a gap is
closed by a course that builds the skill at or above the level needed. Where no live course
does, the nearest level offered below it is the next best step, and is said to be so.
"""

from dataclasses import dataclass, field

from courses import selectors as course_selectors


@dataclass
class GapCourses:
    skill_id: int
    wanted: int
    courses: list = field(default_factory=list)  # build the skill at or above `wanted`
    nearest: list = field(default_factory=list)  # only when `courses` is empty
    nearest_level: int | None = None
    underway: list = field(default_factory=list)  # excluded courses that build the skill

    @property
    def built_nowhere(self) -> bool:
        """No live course builds the skill at any level, counting the excluded ones."""
        return not (self.courses or self.nearest or self.underway)


def courses_for_gaps(*, gaps: dict[int, int], exclude_ids=()) -> dict[int, GapCourses]:
    """For each gap ({skill id: level needed}), the courses that close it, or the courses at
    the nearest level below when none does. Courses in `exclude_ids` (already done or under
    way) are left out. One query.
    """
    excluded = set(exclude_ids)
    offered = course_selectors.courses_by_skill(skill_ids=gaps)
    result = {}
    for skill_id, wanted in gaps.items():
        found = GapCourses(skill_id=skill_id, wanted=wanted)
        candidates = [(c, level) for c, level in offered.get(skill_id, []) if c.pk not in excluded]
        found.underway = [c for c, _ in offered.get(skill_id, []) if c.pk in excluded]
        # The closest fit first: a course at the level needed before one that goes beyond it.
        closing = sorted((pair for pair in candidates if pair[1] >= wanted), key=lambda p: p[1])
        found.courses = [course for course, _ in closing]
        below = [level for _, level in candidates if level < wanted]
        if not found.courses and below:
            found.nearest_level = max(below)
            found.nearest = [c for c, level in candidates if level == found.nearest_level]
        result[skill_id] = found
    return result


@dataclass
class Recommendation:
    course: object
    skills: list = field(default_factory=list)  # names of the gaps it closes or narrows
    nearest: bool = False  # it builds the skills below the level needed


def recommendations(*, gaps: dict[int, int], skill_names: dict[int, str], exclude_ids=()):
    """Courses to take next for these gaps: the ones that close a gap first, then those at
    the nearest level where nothing closes it; each with the skills it is for.

    Returns (recommendations, names of the gap skills no live course builds at any level);
    a gap whose only courses are excluded (already under way) is in neither.
    """
    by_gap = courses_for_gaps(gaps=gaps, exclude_ids=exclude_ids)
    closing: dict[int, Recommendation] = {}
    nearest: dict[int, Recommendation] = {}
    uncovered = []
    for skill_id, found in sorted(by_gap.items(), key=lambda item: skill_names[item[0]]):
        name = skill_names[skill_id]
        if found.built_nowhere:
            uncovered.append(name)
        for course in found.courses:
            closing.setdefault(course.pk, Recommendation(course)).skills.append(name)
        for course in found.nearest:
            if course.pk not in closing:
                item = nearest.setdefault(course.pk, Recommendation(course, nearest=True))
                item.skills.append(name)
    ordered = sorted(closing.values(), key=lambda r: (-len(r.skills), r.course.title))
    ordered += sorted(
        (r for pk, r in nearest.items() if pk not in closing),
        key=lambda r: (-len(r.skills), r.course.title),
    )
    return ordered, uncovered
