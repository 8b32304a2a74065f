"""Writes of learning: enrol, record lessons, answer checks, take the assessment, complete.

Every learning event is an xAPI statement built by `learners.learning.xapi` and stored through
the LRS's one write path (`statements_store`), inside the same transaction as any row written
here, so that progress and statements commit together.
"""

import random
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.blocks import question_options
from courses.models import Cmi5Package, SkillLevel
from learners.lrs.services import statements_store
from learners.models import Profile

from . import selectors, xapi
from .models import Certificate, Enrolment, SelfAssessment

COURSE_CLOSED = "This course is not taking new enrolments"
COURSE_NOT_LIVE = "This course is not available"
NOT_ENROLLED = "Enrol on the course before you take part"
ANSWER_MISSING = "Select an answer"
ANSWER_TAMPERED = "The answer sent does not match the question. Choose your answer again"
ONE_ANSWER_ONLY = "Select only one answer"
QUESTION_MISSING = "Select an answer to question {number}"
ASSESSMENT_TAMPERED = "The answers sent do not match this assessment. Answer the questions again"
ATTEMPTS_EXHAUSTED = "You have used all {allowed} attempts at this assessment"
ALREADY_PASSED = "You have already passed this assessment"
LESSONS_FIRST = "Finish every lesson before you take the assessment"
LEVEL_INVALID = "Select a level from the list"


class LearningError(ValidationError):
    """A learner's action that cannot be accepted; `.message` is shown as is.

    `field_errors` maps form field ids to messages when the problem is with particular answers.
    """

    def __init__(self, message, *, field_errors=None):
        super().__init__(message)
        self.field_errors = field_errors or {}


@transaction.atomic
def enrolment_create(*, user, course) -> Enrolment:
    """Enrol a learner on a live, open course; enrolling twice returns the same enrolment.

    Idempotent under concurrency too (a double-click, two tabs): the database's unique
    constraint on (user, course) decides; the request that loses the race returns the winner's
    enrolment and sends no second `launched` statement.
    """
    existing = Enrolment.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    if not course.live:
        raise LearningError(COURSE_NOT_LIVE)
    if not course.enrolment_open:
        raise LearningError(COURSE_CLOSED)
    enrolment = Enrolment(user=user, course=course)
    # The uniqueness check is left to the constraint: a check-then-insert would race.
    enrolment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        return Enrolment.objects.get(user=user, course=course)
    statements_store(
        statements=[
            xapi.launched_course(user=user, course=course, registration=enrolment.registration)
        ]
    )
    if Cmi5Package.objects.filter(course=course).exists():
        # cmi5 10: what needs nothing (NotApplicable AUs) is satisfied as the registration starts.
        from .cmi5.satisfaction import satisfaction_update

        satisfaction_update(enrolment=enrolment)
    return enrolment


def lesson_experience(*, user, lesson) -> "selectors.CourseProgress | None":
    """Record that an enrolled learner read a lesson, once per learner and lesson.

    Returns the learner's progress on the course (with this lesson counted, and the learner's
    last answers to its knowledge checks), or None when the lesson has no course or the learner
    is not enrolled. Reading the last unread lesson after passing the assessment completes the
    course. A lesson already done is only read: no transaction, no statement.
    """
    course = lesson.get_course()
    if course is None:
        return None
    progress = selectors.course_progress(user=user, course=course, answers_on=lesson)
    if progress.enrolment is None:
        return None
    if lesson.pk in progress.done_ids:
        return progress
    return _lesson_experienced(user=user, lesson=lesson, course=course, progress=progress)


@transaction.atomic
def _lesson_experienced(*, user, lesson, course, progress) -> "selectors.CourseProgress":
    statements_store(
        statements=[
            xapi.experienced_lesson(
                user=user,
                lesson=lesson,
                course=course,
                registration=progress.enrolment.registration,
            )
        ]
    )
    if progress.lessons_done or len(progress.done_ids) + 1 >= len(progress.lessons):
        course_complete_if_done(user=user, course=course)
        return selectors.course_progress(user=user, course=course)
    progress.done_ids.add(lesson.pk)
    progress.resume_page = selectors.resume_page(progress, latest=lesson)
    return progress


@dataclass
class AnswerOutcome:
    chosen: list[str]
    correct: bool


def _chosen_options(*, value, chosen: list[str], missing: str) -> list[str]:
    """Check an answer against a question; raise LearningError with a clear message."""
    option_ids = [option_id for option_id, _ in question_options(value)]
    chosen = [option for option in chosen if option != ""]
    if not chosen:
        raise LearningError(missing)
    if len(set(chosen)) != len(chosen) or any(option not in option_ids for option in chosen):
        raise LearningError(ANSWER_TAMPERED)
    if not value["multiple"] and len(chosen) > 1:
        raise LearningError(ONE_ANSWER_ONLY)
    return [option_id for option_id in option_ids if option_id in chosen]


def answer_is_correct(value, chosen: list[str]) -> bool:
    """An answer is right when it picks exactly the options marked correct."""
    correct = {option_id for option_id, option in question_options(value) if option["correct"]}
    return correct == set(chosen)


@transaction.atomic
def knowledge_check_answer(*, user, lesson, block_id: str, chosen: list[str]) -> AnswerOutcome:
    """Record an enrolled learner's answer to a lesson's knowledge check."""
    course = lesson.get_course()
    enrolment = Enrolment.objects.filter(user=user, course=course).first() if course else None
    if enrolment is None:
        raise LearningError(NOT_ENROLLED)
    block = lesson.knowledge_checks().get(block_id)
    if block is None:
        raise LearningError(ANSWER_TAMPERED)
    chosen = _chosen_options(value=block.value, chosen=chosen, missing=ANSWER_MISSING)
    correct = answer_is_correct(block.value, chosen)
    statements_store(
        statements=[
            xapi.answered_question(
                user=user,
                page=lesson,
                course=course,
                block_id=block_id,
                question=block.value,
                options=question_options(block.value),
                chosen=chosen,
                success=correct,
                registration=enrolment.registration,
            )
        ]
    )
    return AnswerOutcome(chosen=chosen, correct=correct)


def assessment_question_order(*, assessment, enrolment, attempt: int) -> list:
    """The questions in the order this learner sees them on this attempt (stable on reload)."""
    blocks = list(assessment.questions)
    if assessment.shuffle_questions and enrolment is not None:
        random.Random(f"{enrolment.registration}:{attempt}").shuffle(blocks)  # noqa: S311
    return blocks


@dataclass
class AssessmentOutcome:
    correct: int
    total: int
    passed: bool

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


@transaction.atomic
def assessment_submit(*, user, assessment, answers: dict[str, list[str]]) -> AssessmentOutcome:
    """Mark an attempt, record an answered statement per question and passed or failed.

    Refused (nothing recorded) when the learner is not enrolled, has passed already, has no
    attempts left, has lessons unread, left a question unanswered, or sent answers that do not
    belong to this assessment.
    """
    course = assessment.get_course()
    enrolment = Enrolment.objects.filter(user=user, course=course).first() if course else None
    if enrolment is None:
        raise LearningError(NOT_ENROLLED)
    progress = selectors.course_progress(user=user, course=course, assessment=assessment)
    if progress.passed:
        raise LearningError(ALREADY_PASSED)
    if progress.attempts_left == 0:
        raise LearningError(ATTEMPTS_EXHAUSTED.format(allowed=assessment.attempts_allowed))
    if not progress.lessons_done:
        raise LearningError(LESSONS_FIRST)
    blocks = assessment.question_blocks()
    if set(answers) - set(blocks):
        raise LearningError(ASSESSMENT_TAMPERED)
    order = assessment_question_order(
        assessment=assessment, enrolment=enrolment, attempt=progress.attempts_used + 1
    )
    marked, field_errors = [], {}
    for number, block in enumerate(order, start=1):
        try:
            chosen = _chosen_options(
                value=block.value,
                chosen=answers.get(block.id, []),
                missing=QUESTION_MISSING.format(number=number),
            )
        except LearningError as error:
            if error.message == ANSWER_TAMPERED:
                raise LearningError(ASSESSMENT_TAMPERED) from error
            field_errors[block.id] = error.message
            continue
        marked.append((block, chosen, answer_is_correct(block.value, chosen)))
    if field_errors:
        raise LearningError(next(iter(field_errors.values())), field_errors=field_errors)
    correct = sum(1 for _, _, right in marked if right)
    total = len(marked)
    passed = total > 0 and 100 * correct >= assessment.pass_mark * total
    statements = [
        xapi.answered_question(
            user=user,
            page=assessment,
            course=course,
            block_id=block.id,
            question=block.value,
            options=question_options(block.value),
            chosen=chosen,
            success=right,
            registration=enrolment.registration,
            in_assessment=True,
        )
        for block, chosen, right in marked
    ]
    statements.append(
        xapi.assessed(
            user=user,
            assessment=assessment,
            course=course,
            registration=enrolment.registration,
            correct=correct,
            total=total,
            passed=passed,
        )
    )
    statements_store(statements=statements)
    if passed:
        course_complete_if_done(user=user, course=course)
    return AssessmentOutcome(correct=correct, total=total, passed=passed)


@transaction.atomic
def course_complete_if_done(*, user, course) -> Certificate | None:
    """Complete the course (statement and certificate) once every lesson is done and the
    assessment passed. Safe to call any number of times.
    """
    progress = selectors.course_progress(user=user, course=course)
    if progress.completed or not progress.lessons_done:
        return None
    if progress.assessment is not None and not progress.passed:
        return None
    registration = progress.enrolment.registration if progress.enrolment else None
    statements_store(
        statements=[xapi.completed_course(user=user, course=course, registration=registration)]
    )
    return certificate_issue(user=user, course=course)


@transaction.atomic
def course_complete_cmi5(*, enrolment) -> Certificate:
    """A cmi5 course's satisfaction is the platform's completion of it: the `completed`
    statement that evidences its skills, and the certificate. Safe to call again.
    """
    user, course = enrolment.user, enrolment.course
    if not Certificate.objects.filter(user=user, course=course).exists():
        statements_store(
            statements=[
                xapi.completed_course(user=user, course=course, registration=enrolment.registration)
            ]
        )
    return certificate_issue(user=user, course=course)


@transaction.atomic
def certificate_issue(*, user, course) -> Certificate:
    """Issue (once) the certificate of a completed course."""
    existing = Certificate.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    certificate = Certificate(
        user=user,
        course=course,
        holder_name=user.display_name,
        course_title=course.title,
        issued_at=timezone.now(),
    )
    certificate.full_clean()
    certificate.save()
    return certificate


@transaction.atomic
def self_assessment_set(*, user, skill, level: int | None) -> SelfAssessment | None:
    """Set (or with None, clear) the learner's own view of their level in a skill."""
    if level is None:
        deleted, _ = SelfAssessment.objects.filter(user=user, skill=skill).delete()
        if deleted:
            # A deleted row leaves no `updated_at` behind: stamp the profile, which the
            # coverage job also reads for changes, so the cleared level is taken away.
            Profile.objects.filter(user=user).update(updated_at=timezone.now())
        return None
    if level not in SkillLevel.values:
        raise LearningError(LEVEL_INVALID)
    assessment, _ = SelfAssessment.objects.get_or_create(
        user=user, skill=skill, defaults={"level": level}
    )
    assessment.level = level
    assessment.full_clean()
    assessment.save()
    return assessment
