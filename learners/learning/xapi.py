"""Statements about courses: launched, experienced, answered, passed/failed and completed.

Each builder returns the statement's xAPI 1.0.3 JSON; the services in `learners.learning.services`
store it with `statements_store`. The verbs are the shared ones of `learners.xapi`. Activities are
identified by the pages' translation keys (see `activity_iri`), so IRIs survive slug changes.
Context: `registration` is the enrolment's registration, `parent` the activity directly above
(the course for a lesson, the lesson or assessment for a question) and `grouping` the course
for anything deeper than one level.
"""

from uuid import UUID

from django.utils import timezone
from tincan import (
    Activity,
    ActivityDefinition,
    Context,
    ContextActivities,
    InteractionComponent,
    InteractionComponentList,
    LanguageMap,
    Result,
    Score,
    Statement,
)

from learners.xapi import (
    ANSWERED,
    COMPLETED,
    EXPERIENCED,
    FAILED,
    LANGUAGE,
    LAUNCHED,
    PASSED,
    activity_iri,
    actor_for,
    statement_json,
    verb,
)

ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"
COURSE_TYPE = ADL_ACTIVITIES + "course"
LESSON_TYPE = ADL_ACTIVITIES + "lesson"
ASSESSMENT_TYPE = ADL_ACTIVITIES + "assessment"
INTERACTION_TYPE = ADL_ACTIVITIES + "cmi.interaction"

PLATFORM = "Public School of Technology"

# The separator of choice ids in a 'choice' interaction response (xAPI 1.0.3 Data 2.4.4.1.1).
RESPONSE_SEPARATOR = "[,]"


def course_iri(course) -> str:
    return activity_iri("course", str(course.translation_key))


def lesson_iri(lesson) -> str:
    return activity_iri("lesson", str(lesson.translation_key))


def assessment_iri(assessment) -> str:
    return activity_iri("assessment", str(assessment.translation_key))


def question_iri(page, block_id: str) -> str:
    """A question lives in a lesson (knowledge check) or an assessment, by its block id."""
    return activity_iri("question", f"{page.translation_key}/{block_id}")


def _activity(iri: str, kind: str, name: str, description: str = "") -> Activity:
    definition = ActivityDefinition(type=kind, name=LanguageMap({LANGUAGE: name}))
    if description:
        definition.description = LanguageMap({LANGUAGE: description})
    return Activity(id=iri, definition=definition)


def course_activity(course) -> Activity:
    return _activity(course_iri(course), COURSE_TYPE, course.title, course.summary)


def lesson_activity(lesson) -> Activity:
    return _activity(lesson_iri(lesson), LESSON_TYPE, lesson.title)


def assessment_activity(assessment) -> Activity:
    return _activity(assessment_iri(assessment), ASSESSMENT_TYPE, assessment.title)


def question_activity(page, block_id: str, question: dict, options: list[tuple[str, dict]]):
    """A 'choice' interaction with its choices and correct response pattern."""
    definition = ActivityDefinition(
        type=INTERACTION_TYPE,
        name=LanguageMap({LANGUAGE: question["question"]}),
        interaction_type="choice",
        choices=InteractionComponentList(
            [
                InteractionComponent(id=option_id, description=LanguageMap({LANGUAGE: o["text"]}))
                for option_id, o in options
            ]
        ),
        correct_responses_pattern=[
            RESPONSE_SEPARATOR.join(option_id for option_id, o in options if o["correct"])
        ],
    )
    return Activity(id=question_iri(page, block_id), definition=definition)


def _context(*, registration: UUID | None, parent=None, grouping=None) -> Context:
    context = Context(platform=PLATFORM, language=LANGUAGE)
    if registration is not None:
        context.registration = registration
    activities = {}
    if parent is not None:
        activities["parent"] = [parent]
    if grouping is not None:
        activities["grouping"] = [grouping]
    if activities:
        context.context_activities = ContextActivities(**activities)
    return context


def _statement(user, verb_iri: str, target: Activity, *, context: Context, result=None) -> dict:
    statement = Statement(
        actor=actor_for(user),
        verb=verb(verb_iri),
        object=target,
        context=context,
        timestamp=timezone.now(),
    )
    if result is not None:
        statement.result = result
    return statement_json(statement)


def launched_course(*, user, course, registration: UUID) -> dict:
    """The learner enrolled on (started) a course."""
    return _statement(
        user, LAUNCHED, course_activity(course), context=_context(registration=registration)
    )


def experienced_lesson(*, user, lesson, course, registration: UUID | None) -> dict:
    """The learner read a lesson; reading it completes it."""
    return _statement(
        user,
        EXPERIENCED,
        lesson_activity(lesson),
        context=_context(registration=registration, parent=course_activity(course)),
        result=Result(completion=True),
    )


def answered_question(
    *,
    user,
    page,
    course,
    block_id: str,
    question: dict,
    options: list[tuple[str, dict]],
    chosen: list[str],
    success: bool,
    registration: UUID | None,
    in_assessment: bool = False,
) -> dict:
    """The learner answered a knowledge check (in a lesson) or an assessment question."""
    parent = assessment_activity(page) if in_assessment else lesson_activity(page)
    return _statement(
        user,
        ANSWERED,
        question_activity(page, block_id, question, options),
        context=_context(
            registration=registration, parent=parent, grouping=course_activity(course)
        ),
        result=Result(response=RESPONSE_SEPARATOR.join(chosen), success=success),
    )


def assessed(
    *, user, assessment, course, registration: UUID | None, correct: int, total: int, passed: bool
) -> dict:
    """The learner passed or failed the course's assessment, with the scaled score."""
    return _statement(
        user,
        PASSED if passed else FAILED,
        assessment_activity(assessment),
        context=_context(registration=registration, parent=course_activity(course)),
        result=Result(
            score=Score(scaled=round(correct / total, 4), raw=correct, min=0, max=total),
            success=passed,
            completion=True,
        ),
    )


def completed_course(*, user, course, registration: UUID | None) -> dict:
    """The learner finished every lesson and passed the assessment."""
    return _statement(
        user,
        COMPLETED,
        course_activity(course),
        context=_context(registration=registration),
        result=Result(completion=True, success=True),
    )
