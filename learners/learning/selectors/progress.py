"""Progress derived from statements: what a learner has done in a course, where to resume.

Progress is never stored: a lesson is done when the learner has a statement that says so
(experienced with result.completion true, or completed, or passed) for the lesson's activity,
whoever sent it (these pages, or external xAPI content posting to /xapi/). An assessment is
passed, and a course completed, only by a statement whose authority may attest it
(learners.learning.evidence): never by one the learner sent about themselves.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Case, F, Q, Value, When
from django.db.models.expressions import RawSQL

from courses.models import CoursePage
from learners.identity import actor_is_learner
from learners.learning import xapi as course_statements
from learners.learning.evidence import AuthorityRule
from learners.learning.models import Certificate, Enrolment
from learners.lrs.models import Statement

PROGRESS_VERBS = (
    course_statements.EXPERIENCED,
    course_statements.COMPLETED,
    course_statements.PASSED,
    course_statements.FAILED,
)
ASSESSED_VERBS = (course_statements.PASSED, course_statements.FAILED)


def learner_statements():
    """Statements that count: not voided, and not themselves voiding statements."""
    return Statement.objects.filter(voided=False, is_voiding=False)


def response_choices(payload: str) -> list[str]:
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
    # Sent by an authority trusted to attest it (learners.learning.evidence): only such a fact
    # passes an assessment or completes a course. A lesson read is a lesson read, whoever says.
    attested: bool = True


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
        "actor_ifi",
        "authority_ifi",
    ]
    rule = AuthorityRule()
    rows = learner_statements().filter(actor_is_learner(user))
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
            answers[question_iris[row[0]]] = response_choices(row[8])  # the latest answer wins
        else:
            attested = rule.attests(authority_ifi=row[7], actor_ifi=row[6], activity_id=row[0])
            facts[row[0]].append(Fact(*row[:6], attested=attested))
    return facts, answers


def _is_done(facts: list[Fact]) -> bool:
    """A lesson is done by a statement that says so from an authority that may attest it: what
    a learner sends about themselves never completes a course (learners.learning.evidence).
    """
    return any(
        fact.attested
        and (
            fact.verb_id in (course_statements.COMPLETED, course_statements.PASSED)
            or (fact.verb_id == course_statements.EXPERIENCED and fact.completion)
        )
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
    """The activity IRIs of a course, its lessons and its assessment."""
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
            if fact.attested and fact.verb_id in (
                course_statements.PASSED,
                course_statements.FAILED,
            ):
                progress.attempts_used += 1
                progress.last_score = fact.scaled
                if fact.scaled is not None:
                    progress.best_score = max(progress.best_score or 0, fact.scaled)
                progress.passed = progress.passed or fact.verb_id == course_statements.PASSED
            if latest_time is None or fact.timestamp >= latest_time:
                latest_time = fact.timestamp
    course_facts = facts.get(course_statements.course_iri(course), [])
    progress.completed = any(
        f.attested and f.verb_id == course_statements.COMPLETED for f in course_facts
    )
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
