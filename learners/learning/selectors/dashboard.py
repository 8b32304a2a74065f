"""The learner's dashboard, learning record and certificates."""

from dataclasses import dataclass, field

from courses import selectors as course_selectors
from courses.models import Skill
from learners.learning.gaps import recommendations
from learners.learning.models import Certificate, Enrolment
from learners.lrs.models import Statement
from learners.selectors import target_role_level_for

from .progress import activity_ids_of, actor_ifi, learner_facts, progress_from_facts
from .skills import skill_gaps


@dataclass
class Dashboard:
    in_progress: list
    completed: list
    certificates: list
    recommended: list  # gaps.Recommendation
    target_role_level: object | None
    uncovered: list = field(default_factory=list)  # gap skills no course builds at any level


RECOMMENDED_SHOWN = 5


def dashboard(*, user) -> Dashboard:
    """Everything the learner's dashboard shows, in a fixed number of queries."""
    enrolments = list(Enrolment.objects.filter(user=user))
    outlines = course_selectors.courses_with_outlines(ids=[e.course_id for e in enrolments])
    for enrolment in enrolments:
        if enrolment.course_id in outlines:
            enrolment.course = outlines[enrolment.course_id][0]
    enrolments = [e for e in enrolments if e.course_id in outlines and e.course.live]
    courses = [e.course for e in enrolments]
    activity_ids = []
    for course in courses:
        _, lessons, assessment = outlines[course.pk]
        activity_ids += activity_ids_of(course=course, lessons=lessons, assessment=assessment)
    facts = learner_facts(user=user, activity_ids=activity_ids)
    certificates = list(Certificate.objects.filter(user=user))
    certificate_by_course = {c.course_id: c for c in certificates}
    in_progress, completed = [], []
    for enrolment in enrolments:
        _, lessons, assessment = outlines[enrolment.course.pk]
        progress = progress_from_facts(
            course=enrolment.course,
            enrolment=enrolment,
            lessons=lessons,
            assessment=assessment,
            facts=facts,
        )
        progress.certificate = certificate_by_course.get(enrolment.course.pk)
        (completed if progress.completed else in_progress).append(progress)
    in_progress.sort(key=lambda p: p.last_activity or p.enrolment.enrolled_at, reverse=True)
    target = target_role_level_for(user)
    recommended, uncovered = [], []
    if target is not None:
        gaps = skill_gaps(user=user, role_level=target)
        names = dict(Skill.objects.filter(pk__in=list(gaps)).values_list("pk", "name"))
        # Courses that close a gap first, then those at the nearest level below (see gaps).
        recommended, uncovered = recommendations(
            gaps=gaps, skill_names=names, exclude_ids=[course.pk for course in courses]
        )
        recommended = recommended[:RECOMMENDED_SHOWN]
    return Dashboard(
        in_progress=in_progress,
        completed=completed,
        certificates=certificates,
        recommended=recommended,
        target_role_level=target,
        uncovered=uncovered,
    )


# --- Learning record ---


def learning_record(*, user):
    """Every statement about the learner, newest first (voided ones excluded)."""
    return Statement.objects.filter(actor_ifi=actor_ifi(user), voided=False).order_by("-timestamp")


# --- Certificates ---


def certificate_for(*, user, pk: int) -> Certificate | None:
    """One of the learner's own certificates; None for anyone else's."""
    return Certificate.objects.filter(user=user, pk=pk).first()


def certificate_by_code(*, code: str) -> Certificate | None:
    """A certificate by its public verification code (exact match only)."""
    return Certificate.objects.filter(verification_code=code).first()
