"""Skills evidence and the learner's skills profile."""

from collections import defaultdict
from dataclasses import dataclass

from wagtail.models import Page

from courses.models import RoleLevelSkill, SkillLevel
from learners.learning.evidence import learner_evidence
from learners.learning.gaps import courses_for_gaps
from learners.learning.models import Certificate, SelfAssessment
from learners.selectors import profile_for_user
from learners.xapi import COMPLETED

# --- Evidence and skills profile ---


@dataclass
class Evidence:
    page: object  # the course or challenge page that shows the evidence
    level: int
    kind: str  # "completed" or "passed"
    certificate: Certificate | None = None

    @property
    def course(self):
        return self.page


def evidence_by_skill(*, user) -> dict[int, list[Evidence]]:
    """The learner's attested evidence by the skills it builds (learners.learning.evidence):
    courses completed, assessments passed and challenges accepted.
    """
    found = learner_evidence(user=user)
    if not found:
        return {}
    pages = Page.objects.filter(pk__in={link.page_id for link, _ in found}).live().specific()
    pages = {page.pk: page for page in pages}
    certificates = {c.course_id: c for c in Certificate.objects.filter(user=user)}
    best: dict[tuple[int, int], Evidence] = {}
    for link, verb_id in found:
        page = pages.get(link.page_id)
        if page is None:
            continue
        kind = "completed" if verb_id == COMPLETED else "passed"
        key = (link.skill_id, link.page_id)
        if key in best and (best[key].kind == "completed" or kind != "completed"):
            continue
        best[key] = Evidence(page, link.level, kind, certificates.get(link.page_id))
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for (skill_id, _page_id), item in sorted(best.items()):
        evidence[skill_id].append(item)
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
