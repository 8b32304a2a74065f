"""Course analytics for editors: enrolments, completion, drop-off and answers."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from courses.models import CoursePage
from learners.learning import xapi as course_statements
from learners.learning.models import Enrolment
from learners.lrs.models import StatementRelation

from .progress import learner_statements, response_choices

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
        for option in response_choices(payload):
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
