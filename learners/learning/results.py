"""Reads behind the assessment results page: the learner's last attempt, question by question,
and what to do next when no attempt is left.

Built from statements alone, like progress: the last passed or failed statement gives the
attempt's score, and the learner's latest answer to each question (one per question per
attempt) gives what they chose.
"""

from dataclasses import dataclass, field

from courses import selectors as course_selectors
from courses.blocks import question_options

from . import selectors
from .services import answer_is_correct, assessment_question_order

RELATED_COURSES_SHOWN = 3


@dataclass
class ChosenOption:
    text: str
    feedback: str


@dataclass
class QuestionResult:
    number: int
    block_id: str
    question: str
    right: bool
    chosen: list[ChosenOption]


@dataclass
class AssessmentResult:
    assessment: object
    course: object
    progress: selectors.CourseProgress
    questions: list[QuestionResult]
    related_courses: list = field(default_factory=list)

    @property
    def correct(self) -> int:
        return sum(1 for question in self.questions if question.right)

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def percent(self) -> int:
        # The score recorded when the attempt was marked, even if the questions changed since.
        return self.progress.last_percent or 0

    @property
    def passed(self) -> bool:
        return self.progress.passed

    @property
    def attempts_left(self) -> int:
        return self.progress.attempts_left or 0

    @property
    def no_attempts_left(self) -> bool:
        return not self.passed and self.attempts_left == 0


def assessment_result(*, user, assessment) -> AssessmentResult | None:
    """The learner's last attempt at the assessment, or None if they have not made one.

    Questions appear in the order the learner saw them in that attempt, each with whether the
    answer was right and the feedback the editor wrote for each option chosen. Once every
    attempt is used without a pass, other live courses that build the same skills are offered.
    """
    course = assessment.get_course()
    if course is None:
        return None
    progress = selectors.course_progress(user=user, course=course, assessment=assessment)
    if not progress.enrolled or progress.attempts_used == 0:
        return None
    order = assessment_question_order(
        assessment=assessment, enrolment=progress.enrolment, attempt=progress.attempts_used
    )
    answers = selectors.last_answers(
        user=user, page=assessment, block_ids=[block.id for block in order]
    )
    questions = []
    for block in order:
        chosen_ids = answers.get(block.id)
        if chosen_ids is None:  # a question added after the attempt
            continue
        options = dict(question_options(block.value))
        questions.append(
            QuestionResult(
                number=len(questions) + 1,
                block_id=block.id,
                question=block.value["question"],
                right=answer_is_correct(block.value, chosen_ids),
                chosen=[
                    ChosenOption(options[i]["text"], options[i]["feedback"] or "")
                    for i in chosen_ids
                    if i in options
                ],
            )
        )
    result = AssessmentResult(
        assessment=assessment, course=course, progress=progress, questions=questions
    )
    if result.no_attempts_left:
        skills = dict.fromkeys(course.course_skills.values_list("skill_id", flat=True), 1)
        result.related_courses = course_selectors.courses_building_skills(
            skill_levels=skills, exclude_ids=[course.pk]
        )[:RELATED_COURSES_SHOWN]
    return result
