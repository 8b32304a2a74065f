"""Course analytics for editors: enrolments, completion, drop-off and answers."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from courses.models import CoursePage
from learners.learning import xapi as course_statements
from learners.learning.evidence import AuthorityRule
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


@dataclass
class CourseFigures:
    """One course's figures, each a number of distinct learners (actors) from statements.

    enrolments: launched the course (the platform sends it on enrolment); starts: any other
    statement about the course, its lessons or its assessment, or naming the course in its
    context (a question, external content's activities);
    learners: either of the two, the base of every rate; completions: completed the course.
    The funnel has, per lesson, the learners who finished it (completed it, or experienced it
    with completion) and, for the assessment, those who passed it.
    """

    course: object
    enrolments: int
    starts: int
    learners: int
    completions: int
    completion_rate: int
    funnel: list = field(default_factory=list)


def course_figures(*, courses) -> list[CourseFigures]:
    """The figures of each course, from one read of the statements about all of them; the
    admin list and each course's page show these same figures.
    """
    plans, iris = [], set()
    for course in courses:
        steps = [
            (lesson, course_statements.lesson_iri(lesson), FINISHED) for lesson in course.lessons()
        ]
        assessment = course.assessment()
        if assessment is not None:
            steps.append((assessment, course_statements.assessment_iri(assessment), PASSED_STEP))
        course_iri = course_statements.course_iri(course)
        plans.append((course, course_iri, steps))
        iris |= {course_iri, *(iri for _page, iri, _kind in steps)}
    actors = defaultdict(set)  # (activity, event) -> actor IFIs
    rows = (
        learner_statements()
        .filter(activity_id__in=list(iris))
        .values_list("activity_id", "verb_id", "result_completion", "actor_ifi", "authority_ifi")
        .distinct()
    )
    # A completion or pass counts only from an authority that may attest it: a learner's own
    # claim completes nothing (learners.learning.evidence).
    rule = AuthorityRule()
    for iri, verb, completion, actor, authority in rows.iterator(chunk_size=5000):
        actors[(iri, LAUNCHED if verb == course_statements.LAUNCHED else ANY)].add(actor)
        attested = verb in (course_statements.COMPLETED, course_statements.PASSED) and (
            rule.attests(authority_ifi=authority, actor_ifi=actor, activity_id=iri)
        )
        if verb == course_statements.COMPLETED and attested:
            actors[(iri, COMPLETED)].add(actor)
        if verb == course_statements.COMPLETED or (
            verb == course_statements.EXPERIENCED and completion
        ):
            actors[(iri, FINISHED)].add(actor)
        if verb == course_statements.PASSED and attested:
            actors[(iri, PASSED_STEP)].add(actor)
    # Statements about anything in a course (a question, external content's own activities)
    # name the course in their context: those learners started it too.
    course_iris = [course_iri for _course, course_iri, _steps in plans]
    in_context = (
        StatementRelation.objects.filter(
            kind=StatementRelation.Kind.ACTIVITY,
            value__in=course_iris,
            statement__in=learner_statements(),
        )
        .values_list("value", "statement__actor_ifi")
        .distinct()
    )
    for iri, actor in in_context.iterator(chunk_size=5000):
        actors[(iri, ANY)].add(actor)
    result = []
    for course, course_iri, steps in plans:
        enrolled = actors[(course_iri, LAUNCHED)]
        started = set(actors[(course_iri, ANY)])
        for _page, iri, _kind in steps:
            started |= actors[(iri, ANY)]
        learners = len(enrolled | started)
        completions = len(actors[(course_iri, COMPLETED)])
        funnel = [
            {
                "lesson": page,
                "learners": len(actors[(iri, kind)]),
                "percent": _percent(len(actors[(iri, kind)]), learners),
            }
            for page, iri, kind in steps
        ]
        result.append(
            CourseFigures(
                course=course,
                enrolments=len(enrolled),
                starts=len(started),
                learners=learners,
                completions=completions,
                completion_rate=_percent(completions, learners),
                funnel=funnel,
            )
        )
    return result


# Events counted per activity in course_figures.
LAUNCHED, ANY, COMPLETED, FINISHED, PASSED_STEP = (
    "launched",
    "any",
    "completed",
    "finished",
    "passed",
)


def course_analytics(*, course) -> dict:
    """One course's figures (as the list shows them), its drop-off and its answer shares."""
    [figures] = course_figures(courses=[course])
    return {
        "course": course,
        "figures": figures,
        "questions": question_stats(lessons=list(course.lessons()), assessment=course.assessment()),
    }


def courses_overview(*, courses=None) -> list[CourseFigures]:
    """Every course (or the given ones) by title, with the figures its own page shows."""
    courses = courses if courses is not None else CoursePage.objects.order_by("title")
    return course_figures(courses=list(courses))


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
