"""Template tags that give the curriculum's page templates the learner's side of things.

Course templates know nothing of learners; they `{% load learning_tags %}` and these tags read
progress (from statements) through learners.learning.selectors. What they read is kept for the
rest of the render in the context's `learning_memo` (see `learning_context`), so a page's tags
and blocks ask once.
"""

from django import template

from courses.blocks import question_options
from learners.learning import selectors, services

register = template.Library()

MEMO = "learning_memo"


def learning_context(*, progress=None, page=None) -> dict:
    """Context for a page whose template uses these tags: a memo for what they read while it
    renders, seeded with the learner's progress (and their answers on `page`, when it holds
    them) that the caller already has. The lesson hook and the learning views add it.
    """
    memo = {}
    if progress is not None:
        memo[("progress", progress.course.pk)] = progress
        if page is not None and progress.answers is not None:
            memo[("answers", page.pk)] = progress.answers
    return {MEMO: memo}


def _memo(context) -> dict:
    """The render's memo; without one (a template rendered elsewhere) nothing is kept.

    Blocks rendered with `{% include_block %}` get a copy of the page's context holding the
    same memo object.
    """
    memo = context.get(MEMO)
    return memo if memo is not None else {}


@register.simple_tag(takes_context=True)
def course_progress(context, course):
    """The signed-in learner's progress on a course, or None (anonymous or no course)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if course is None or user is None or not user.is_authenticated:
        return None
    cache = _memo(context)
    key = ("progress", course.pk)
    if key not in cache:
        lessons = context.get("lessons")
        assessment = context.get("assessment")
        cache[key] = selectors.course_progress(
            user=user,
            course=course,
            lessons=lessons if lessons is not None else None,
            assessment=assessment,
        )
    return cache[key]


@register.inclusion_tag("learning/includes/course_actions.html", takes_context=True)
def course_actions(context, course, progress):
    """Enrol, resume or certificate: the course page's call to action."""
    return {
        "request": context.get("request"),
        "user": context.get("user"),
        "csrf_token": context.get("csrf_token"),
        "course": course,
        "progress": progress,
        "enrol_error": context.get("enrol_error"),
    }


@register.inclusion_tag("learning/includes/lesson_notice.html", takes_context=True)
def lesson_notice(context, course, progress):
    """Tells a reader who is not enrolled that their progress is not recorded."""
    return {
        "request": context.get("request"),
        "user": context.get("user"),
        "csrf_token": context.get("csrf_token"),
        "course": course,
        "progress": progress,
    }


@register.inclusion_tag("learning/includes/knowledge_check.html", takes_context=True)
def knowledge_check(context, block_id, value):
    """A knowledge check form, with feedback on the learner's last recorded answer."""
    request = context.get("request")
    page = context.get("page")
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    answers = {}
    if signed_in and page is not None:
        cache = _memo(context)
        key = ("answers", page.pk)
        if key not in cache:
            cache[key] = selectors.last_answers(
                user=user, page=page, block_ids=list(page.knowledge_checks())
            )
        answers = cache[key]
    posted = (context.get("check_posted") or {}).get(block_id)
    chosen = answers.get(block_id, []) if posted is None else posted
    answered = block_id in answers and posted is None
    options = [
        {
            "id": option_id,
            "text": option["text"],
            "correct": option["correct"],
            "feedback": option["feedback"],
            "chosen": option_id in chosen,
        }
        for option_id, option in question_options(value)
    ]
    correct = answered and all(o["chosen"] == bool(o["correct"]) for o in options)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "page": page,
        "block_id": block_id,
        "value": value,
        "options": options,
        "answered": answered,
        "correct": correct,
        "error": (context.get("check_errors") or {}).get(block_id),
        "signed_in": signed_in,
        "enrolled": bool(context.get("progress") and context["progress"].enrolled),
    }


@register.inclusion_tag("learning/includes/assessment_panel.html", takes_context=True)
def assessment_panel(context, assessment):
    """The assessment: its rules, the learner's results so far and, if allowed, the form."""
    request = context.get("request")
    user = getattr(request, "user", None)
    course = context.get("course") or assessment.get_course()
    result = {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "page": assessment,
        "course": course,
        "errors": context.get("assessment_errors") or {},
        "error_message": context.get("assessment_error"),
        "posted": context.get("assessment_posted") or {},
    }
    if not (user and user.is_authenticated) or course is None:
        return result
    progress = course_progress(context, course)
    result["progress"] = progress
    can_attempt = (
        progress.enrolled
        and not progress.passed
        and progress.attempts_left
        and progress.lessons_done
    )
    result["can_attempt"] = bool(can_attempt)
    if can_attempt:
        order = services.assessment_question_order(
            assessment=assessment,
            enrolment=progress.enrolment,
            attempt=progress.attempts_used + 1,
        )
        result["questions"] = [
            {
                "number": number,
                "id": block.id,
                "value": block.value,
                "error": result["errors"].get(block.id),
                "options": [
                    {
                        "id": option_id,
                        "text": option["text"],
                        "chosen": option_id in result["posted"].get(block.id, []),
                    }
                    for option_id, option in question_options(block.value)
                ],
            }
            for number, block in enumerate(order, start=1)
        ]
    return result


@register.filter
def level_label(level):
    """A skill level number as its framework label."""
    from courses.models import SkillLevel

    try:
        return SkillLevel(int(level)).label
    except (TypeError, ValueError):
        return ""


@register.inclusion_tag("learning/includes/cmi5_units.html", takes_context=True)
def cmi5_units(context, course):
    """A cmi5 course's assignable units, with what the learner has done and launch buttons."""
    from courses.models import Cmi5AssignableUnit
    from learners.learning.cmi5.models import Cmi5UnitStatus
    from learners.learning.cmi5.satisfaction import unit_satisfied

    units = list(Cmi5AssignableUnit.objects.filter(package__course=course).order_by("position"))
    user = context.get("user")
    statuses = {}
    if units and user is not None and user.is_authenticated:
        statuses = {
            status.unit_id: status
            for status in Cmi5UnitStatus.objects.filter(
                enrolment__user=user, enrolment__course=course
            )
        }
    return {
        "csrf_token": context.get("csrf_token"),
        "user": user,
        "course": course,
        "rows": [
            {
                "unit": unit,
                "status": statuses.get(unit.pk),
                "satisfied": unit.pk in statuses and unit_satisfied(unit, statuses[unit.pk]),
            }
            for unit in units
        ],
    }
