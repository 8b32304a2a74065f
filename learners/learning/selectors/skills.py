"""Skills evidence and the learner's skills profile."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from courses import selectors as course_selectors
from courses.models import CoursePage, RoleLevelSkill, SkillLevel
from learners.learning import xapi as course_statements
from learners.learning.gaps import courses_for_gaps
from learners.learning.models import Certificate, SelfAssessment
from learners.selectors import profile_for_user
from learners.xapi import activity_iri

from .progress import actor_ifi, learner_statements

# --- Evidence and skills profile ---


@dataclass
class Evidence:
    course: CoursePage
    level: int
    kind: str  # "completed" or "passed"
    certificate: Certificate | None = None


def evidence_by_skill(*, user) -> dict[int, list[Evidence]]:
    """Courses the learner completed or whose assessment they passed, by the skills they build.

    From statements alone: a completed course (or a passed assessment) sent by external content
    counts the same as one recorded by these pages.
    """
    course_prefix = activity_iri("course", "")
    assessment_prefix = activity_iri("assessment", "")
    rows = (
        learner_statements()
        .filter(actor_ifi=actor_ifi(user))
        .filter(
            Q(verb_id=course_statements.COMPLETED, activity_id__startswith=course_prefix)
            | Q(verb_id=course_statements.PASSED, activity_id__startswith=assessment_prefix)
        )
        .values_list("verb_id", "activity_id")
        .distinct()
    )
    completed_keys, passed_keys = set(), set()
    for verb_id, activity_id in rows:
        if verb_id == course_statements.COMPLETED:
            completed_keys.add(activity_id.removeprefix(course_prefix))
        else:
            passed_keys.add(activity_id.removeprefix(assessment_prefix))
    kinds: dict[int, str] = {}
    if passed_keys:
        from courses.models import AssessmentPage

        for assessment in AssessmentPage.objects.filter(translation_key__in=passed_keys):
            parent = CoursePage.objects.filter(
                path=assessment.path[: -CoursePage.steplen]
            ).values_list("pk", flat=True)
            for pk in parent:
                kinds.setdefault(pk, "passed")
    courses = list(
        course_selectors.live_courses().filter(
            Q(translation_key__in=completed_keys) | Q(pk__in=list(kinds))
        )
    )
    certificates = {c.course_id: c for c in Certificate.objects.filter(user=user)}
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for course in courses:
        kind = "completed" if str(course.translation_key) in completed_keys else "passed"
        for course_skill in course.course_skills.all():
            evidence[course_skill.skill_id].append(
                Evidence(course, course_skill.level, kind, certificates.get(course.pk))
            )
    return evidence


def skill_gaps(*, user, role_level) -> dict[int, int]:
    """Skills of a role level whose required level is above the level evidenced."""
    evidence = evidence_by_skill(user=user)
    gaps = {}
    for requirement in RoleLevelSkill.objects.filter(role_level=role_level):
        evidenced = max((e.level for e in evidence.get(requirement.skill_id, [])), default=0)
        if evidenced < requirement.level:
            gaps[requirement.skill_id] = requirement.level
    return gaps


@dataclass
class SkillRow:
    skill: object
    required: dict  # {"current": level or None, "target": level or None}
    evidenced: int
    evidence: list
    self_assessed: int | None
    closing: object | None = None  # gaps.GapCourses for a gap: the courses that close it

    @property
    def wanted(self) -> int:
        return max([level for level in self.required.values() if level] or [0])

    @property
    def gap(self) -> bool:
        return self.evidenced < self.wanted

    @property
    def evidenced_label(self) -> str:
        return SkillLevel(self.evidenced).label if self.evidenced else "None yet"

    @property
    def self_assessed_label(self) -> str:
        return SkillLevel(self.self_assessed).label if self.self_assessed else "Not assessed"


def skills_profile(*, user) -> dict:
    """Every skill of the learner's current and target role levels: required, evidenced (with
    links to the evidence) and self-assessed levels, kept apart.
    """
    profile = profile_for_user(user)
    current = profile.current_role_level if profile else None
    target = profile.target_role_level if profile else None
    role_levels = {key: rl for key, rl in (("current", current), ("target", target)) if rl}
    requirements = RoleLevelSkill.objects.filter(
        role_level__in=list(role_levels.values())
    ).select_related("skill")
    rows: dict[int, SkillRow] = {}
    evidence = evidence_by_skill(user=user)
    assessed = dict(SelfAssessment.objects.filter(user=user).values_list("skill_id", "level"))
    for requirement in requirements:
        row = rows.get(requirement.skill_id)
        if row is None:
            items = evidence.get(requirement.skill_id, [])
            row = rows[requirement.skill_id] = SkillRow(
                skill=requirement.skill,
                required={"current": None, "target": None},
                evidenced=max((e.level for e in items), default=0),
                evidence=items,
                self_assessed=assessed.get(requirement.skill_id),
            )
        for key, role_level in role_levels.items():
            if role_level.pk == requirement.role_level_id:
                row.required[key] = requirement.level
    ordered = sorted(rows.values(), key=lambda r: (not r.gap, r.skill.name))
    gap_rows = {row.skill.pk: row for row in ordered if row.gap}
    done = {item.course.pk for items in evidence.values() for item in items}
    closing = courses_for_gaps(
        gaps={pk: row.wanted for pk, row in gap_rows.items()}, exclude_ids=done
    )
    for pk, row in gap_rows.items():
        row.closing = closing[pk]
    return {"current": current, "target": target, "rows": ordered}
