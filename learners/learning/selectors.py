"""Reads of learning: progress, dashboard, skills profile and analytics, all from statements.

Progress is never stored: a lesson is done when the learner has a statement that says so
(experienced with result.completion true, or completed, or passed) for the lesson's activity,
whoever sent it (these pages, or external xAPI content posting to /xapi/).
"""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.expressions import RawSQL

from courses import selectors as course_selectors
from courses.models import CoursePage, RoleLevelSkill, Skill, SkillLevel
from learners.lrs.emit import activity_iri
from learners.lrs.emit import courses as course_statements
from learners.lrs.models import Statement, StatementRelation
from learners.selectors import profile_for_user, target_role_level_for

from .gaps import courses_for_gaps, recommendations
from .models import Certificate, Enrolment, SelfAssessment

PROGRESS_VERBS = (
    course_statements.EXPERIENCED,
    course_statements.COMPLETED,
    course_statements.PASSED,
    course_statements.FAILED,
)


def actor_ifi(user) -> str:
    """The canonical IFI of a user's xAPI account (see learners.lrs.identity.agent_ifi)."""
    return f"account:{settings.SITE_BASE_URL} {user.learner_id}"


def learner_statements():
    """Statements that count: not voided, and not themselves voiding statements."""
    return Statement.objects.filter(voided=False, is_voiding=False)


def _response(payload: str) -> list[str]:
    """The chosen option ids of an answered statement's result.response."""
    response = (json.loads(payload).get("result") or {}).get("response") or ""
    return [option for option in response.split(course_statements.RESPONSE_SEPARATOR) if option]


@dataclass
class Fact:
    activity_id: str
    verb_id: str
    completion: bool | None
    success: bool | None
    scaled: float | None
    timestamp: datetime


def learner_facts(*, user, activity_ids) -> dict[str, list[Fact]]:
    """The learner's progress statements about these activities, oldest first, in one query."""
    return _facts_and_answers(user=user, activity_ids=activity_ids, question_iris={})[0]


def _many(values: list):
    """A value for an `__in` filter over many strings. On PostgreSQL an unnested array: the
    planner weighs each member of an IN list against the column's statistics, which for the
    hundred activity IRIs of a dashboard costs more than running the query.
    """
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::text[])", (values,))
    return values


def _facts_and_answers(*, user, activity_ids, question_iris: dict):
    """learner_facts and, in the same query, last_answers for the questions
    (`question_iris`: {activity IRI: block id}).
    """
    activity_ids = list(set(activity_ids))
    facts: dict[str, list[Fact]] = defaultdict(list)
    answers: dict[str, list[str]] = {}
    if not activity_ids and not question_iris:
        return facts, answers
    wanted = Q(verb_id__in=PROGRESS_VERBS, activity_id__in=_many(activity_ids))
    columns = [
        "activity_id",
        "verb_id",
        "result_completion",
        "result_success",
        "result_score_scaled",
        "timestamp",
    ]
    rows = learner_statements().filter(actor_ifi=actor_ifi(user))
    if question_iris:
        wanted |= Q(verb_id=course_statements.ANSWERED, activity_id__in=list(question_iris))
        # Only answers need their payload (result.response).
        rows = rows.annotate(
            answer=Case(
                When(verb_id=course_statements.ANSWERED, then=F("payload")), default=Value(None)
            )
        )
        columns.append("answer")
    for row in rows.filter(wanted).order_by("timestamp").values_list(*columns):
        if row[1] == course_statements.ANSWERED:
            answers[question_iris[row[0]]] = _response(row[6])  # the latest answer wins
        else:
            facts[row[0]].append(Fact(*row[:6]))
    return facts, answers


def _is_done(facts: list[Fact]) -> bool:
    return any(
        fact.verb_id in (course_statements.COMPLETED, course_statements.PASSED)
        or (fact.verb_id == course_statements.EXPERIENCED and fact.completion)
        for fact in facts
    )


@dataclass
class CourseProgress:
    course: CoursePage
    enrolment: Enrolment | None
    lessons: list
    assessment: object | None
    done_ids: set = field(default_factory=set)
    attempts_used: int = 0
    passed: bool = False
    last_score: float | None = None
    best_score: float | None = None
    completed: bool = False
    last_activity: datetime | None = None
    resume_page: object | None = None
    certificate: Certificate | None = None
    answers: dict | None = None  # {block id: [option ids]} when asked for one lesson's

    @property
    def enrolled(self) -> bool:
        return self.enrolment is not None

    @property
    def steps(self) -> int:
        return len(self.lessons) + (1 if self.assessment else 0)

    @property
    def steps_done(self) -> int:
        return len(self.done_ids) + (1 if self.assessment and self.passed else 0)

    @property
    def percent(self) -> int:
        if self.completed:
            return 100
        return round(100 * self.steps_done / self.steps) if self.steps else 0

    @property
    def attempts_left(self) -> int | None:
        if self.assessment is None:
            return None
        return max(self.assessment.attempts_allowed - self.attempts_used, 0)

    @property
    def lessons_done(self) -> bool:
        return all(lesson.pk in self.done_ids for lesson in self.lessons)

    @property
    def assessment_failed(self) -> bool:
        """Every attempt at the assessment used without a pass: the course cannot be completed."""
        return self.assessment is not None and not self.passed and self.attempts_left == 0

    @property
    def last_percent(self) -> int | None:
        return None if self.last_score is None else round(self.last_score * 100)

    @property
    def best_percent(self) -> int | None:
        return None if self.best_score is None else round(self.best_score * 100)


def activity_ids_of(*, course, lessons, assessment) -> list[str]:
    ids = [course_statements.course_iri(course)]
    ids += [course_statements.lesson_iri(lesson) for lesson in lessons]
    if assessment is not None:
        ids.append(course_statements.assessment_iri(assessment))
    return ids


def progress_from_facts(*, course, enrolment, lessons, assessment, facts) -> CourseProgress:
    """Fold the learner's statements into a course's progress and the page to resume at."""
    progress = CourseProgress(
        course=course, enrolment=enrolment, lessons=lessons, assessment=assessment
    )
    latest_lesson_index, latest_time = None, None
    for index, lesson in enumerate(lessons):
        lesson_facts = facts.get(course_statements.lesson_iri(lesson), [])
        if _is_done(lesson_facts):
            progress.done_ids.add(lesson.pk)
        for fact in lesson_facts:
            if latest_time is None or fact.timestamp >= latest_time:
                latest_lesson_index, latest_time = index, fact.timestamp
    if assessment is not None:
        for fact in facts.get(course_statements.assessment_iri(assessment), []):
            if fact.verb_id in (course_statements.PASSED, course_statements.FAILED):
                progress.attempts_used += 1
                progress.last_score = fact.scaled
                if fact.scaled is not None:
                    progress.best_score = max(progress.best_score or 0, fact.scaled)
                progress.passed = progress.passed or fact.verb_id == course_statements.PASSED
            if latest_time is None or fact.timestamp >= latest_time:
                latest_time = fact.timestamp
    course_facts = facts.get(course_statements.course_iri(course), [])
    progress.completed = any(f.verb_id == course_statements.COMPLETED for f in course_facts)
    for fact in course_facts:
        if latest_time is None or fact.timestamp > latest_time:
            latest_time = fact.timestamp
    progress.last_activity = latest_time
    progress.resume_page = _resume_page(progress, latest_lesson_index)
    return progress


def resume_page(progress: CourseProgress, *, latest):
    """Where to come back to after `latest` (a lesson) was the last page seen."""
    index = next((i for i, lesson in enumerate(progress.lessons) if lesson.pk == latest.pk), None)
    return _resume_page(progress, index)


def _resume_page(progress: CourseProgress, latest_index: int | None):
    """Where to come back to: the first unfinished lesson after the last one seen (wrapping
    round to earlier gaps), then the assessment, then the course page itself.
    """
    lessons = progress.lessons
    if lessons:
        start = 0 if latest_index is None else latest_index
        order = lessons[start:] + lessons[:start]
        for lesson in order:
            if lesson.pk not in progress.done_ids:
                return lesson
    if progress.assessment is not None and not progress.passed:
        return progress.assessment
    return progress.course


def enrolment_for(*, user, course) -> Enrolment | None:
    """The learner's enrolment on a course, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Enrolment.objects.filter(user=user, course=course).first()


def course_progress(
    *, user, course, lessons=None, assessment=None, answers_on=None
) -> CourseProgress:
    """One learner's progress on one course (two queries, whatever the course's size; three
    once completed). With `answers_on` (a lesson), the same queries also give the learner's
    last answers to its knowledge checks, as `progress.answers` (see last_answers).
    """
    if lessons is None:
        lessons = course.lesson_list()
    if assessment is None:
        assessment = course.assessment()
    enrolment = enrolment_for(user=user, course=course)
    question_iris = {}
    if answers_on is not None:
        question_iris = {
            course_statements.question_iri(answers_on, block_id): block_id
            for block_id in answers_on.knowledge_checks()
        }
    facts, answers = _facts_and_answers(
        user=user,
        activity_ids=activity_ids_of(course=course, lessons=lessons, assessment=assessment),
        question_iris=question_iris,
    )
    progress = progress_from_facts(
        course=course, enrolment=enrolment, lessons=lessons, assessment=assessment, facts=facts
    )
    if answers_on is not None:
        progress.answers = answers
    if progress.completed:
        progress.certificate = Certificate.objects.filter(user=user, course=course).first()
    return progress


def last_answers(*, user, page, block_ids) -> dict[str, list[str]]:
    """The learner's latest answer to each question of a page: {block id: [option ids]}."""
    iris = {course_statements.question_iri(page, block_id): block_id for block_id in block_ids}
    if not iris:
        return {}
    return _facts_and_answers(user=user, activity_ids=[], question_iris=iris)[1]


# --- Dashboard ---


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


# --- Course analytics ---


@dataclass
class QuestionStats:
    page: object
    block_id: str
    question: str
    options: list  # [(text, correct, count, percent)]
    total: int


def course_analytics(*, course) -> dict:
    """Enrolments, completion rate, drop-off by lesson and answer shares, from statements.

    Learners are counted by distinct actor, so statements from external content count too.
    """
    lessons = list(course.lessons())
    assessment = course.assessment()
    course_id = course_statements.course_iri(course)
    started = (
        learner_statements()
        .filter(
            Q(activity_id=course_id)
            | Q(
                pk__in=StatementRelation.objects.filter(
                    kind=StatementRelation.Kind.ACTIVITY, value=course_id
                ).values("statement_id")
            )
        )
        .values("actor_ifi")
        .distinct()
        .count()
    )
    enrolments = Enrolment.objects.filter(course=course).count()
    completions = (
        learner_statements()
        .filter(activity_id=course_id, verb_id=course_statements.COMPLETED)
        .values("actor_ifi")
        .distinct()
        .count()
    )
    lesson_ids = {course_statements.lesson_iri(lesson): lesson for lesson in lessons}
    reached = dict(
        learner_statements()
        .filter(activity_id__in=list(lesson_ids))
        .filter(
            Q(verb_id=course_statements.COMPLETED)
            | Q(verb_id=course_statements.EXPERIENCED, result_completion=True)
        )
        .values("activity_id")
        .annotate(learners=Count("actor_ifi", distinct=True))
        .values_list("activity_id", "learners")
    )
    learners = max(enrolments, started)
    funnel = []
    for iri, lesson in lesson_ids.items():
        count = reached.get(iri, 0)
        funnel.append({"lesson": lesson, "learners": count, "percent": _percent(count, learners)})
    if assessment is not None:
        passed = (
            learner_statements()
            .filter(
                activity_id=course_statements.assessment_iri(assessment),
                verb_id=course_statements.PASSED,
            )
            .values("actor_ifi")
            .distinct()
            .count()
        )
        funnel.append(
            {"lesson": assessment, "learners": passed, "percent": _percent(passed, learners)}
        )
    return {
        "course": course,
        "enrolments": enrolments,
        "learners": learners,
        "completions": completions,
        "completion_rate": _percent(completions, learners),
        "funnel": funnel,
        "questions": question_stats(lessons=lessons, assessment=assessment),
    }


def courses_overview() -> list[dict]:
    """Every course with enrolments, completions (distinct learners) and the completion rate."""
    courses = list(CoursePage.objects.order_by("title"))
    enrolments = dict(
        Enrolment.objects.values("course").annotate(n=Count("pk")).values_list("course", "n")
    )
    iris = {course_statements.course_iri(course): course.pk for course in courses}
    completions = dict(
        learner_statements()
        .filter(verb_id=course_statements.COMPLETED, activity_id__in=list(iris))
        .values("activity_id")
        .annotate(n=Count("actor_ifi", distinct=True))
        .values_list("activity_id", "n")
    )
    rows = []
    for course in courses:
        enrolled = enrolments.get(course.pk, 0)
        completed = completions.get(course_statements.course_iri(course), 0)
        rows.append(
            {
                "course": course,
                "enrolments": enrolled,
                "completions": completed,
                "completion_rate": _percent(completed, max(enrolled, completed)),
            }
        )
    return rows


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def question_stats(*, lessons, assessment) -> list[QuestionStats]:
    """For each question, how often each option was chosen (latest answer per learner counts
    once per answer given: every answer is an event).
    """
    from courses.blocks import question_options

    questions = []
    for page in [*lessons, *([assessment] if assessment else [])]:
        stream = page.questions if page is assessment else page.body
        for block in stream:
            if block.block_type in ("knowledge_check", "question"):
                questions.append((page, block))
    iris = {
        course_statements.question_iri(page, block.id): (page, block) for page, block in questions
    }
    counts: dict[str, Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    rows = (
        learner_statements()
        .filter(verb_id=course_statements.ANSWERED, activity_id__in=list(iris))
        .values_list("activity_id", "payload")
    )
    for activity_id, payload in rows:
        totals[activity_id] += 1
        for option in _response(payload):
            counts[activity_id][option] += 1
    stats = []
    for iri, (page, block) in iris.items():
        options = [
            (
                option["text"],
                option["correct"],
                counts[iri][option_id],
                _percent(counts[iri][option_id], totals[iri]),
            )
            for option_id, option in question_options(block.value)
        ]
        stats.append(QuestionStats(page, block.id, block.value["question"], options, totals[iri]))
    return stats


__all__ = [
    "actor_ifi",
    "certificate_by_code",
    "course_analytics",
    "course_progress",
    "dashboard",
    "enrolment_for",
    "evidence_by_skill",
    "last_answers",
    "learner_facts",
    "learning_record",
    "skills_profile",
]
