"""The statements the LMS itself sends in cmi5 (9.3): launched, abandoned, waived, satisfied.

Builders return statement JSON; the services store it through the LRS's one write path.
"""

import uuid
from datetime import UTC

from django.utils import timezone

from . import vocabulary as v
from .ids import au_activity_id, block_activity_id, course_activity_id, learner_actor


def _iso(moment) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_duration(seconds: float) -> str:
    """An ISO 8601 duration in seconds, as xAPI result.duration wants."""
    return f"PT{max(seconds, 0):.2f}S"


def context_template(session) -> dict:
    """What every statement of the session must carry (LMS.LaunchData contextTemplate)."""
    return {
        "contextActivities": {"grouping": [{"id": session.unit.publisher_id}]},
        "extensions": {v.EXTENSION_SESSION: str(session.session_id)},
    }


def _statement(*, user, verb: str, activity: dict, registration, context: dict, **extra) -> dict:
    context = {**context, "registration": str(registration)}
    activities = dict(context.get("contextActivities") or {})
    activities["category"] = [{"id": v.CATEGORY_CMI5}]
    context["contextActivities"] = activities
    return {
        "id": str(uuid.uuid4()),
        "timestamp": _iso(timezone.now()),
        "actor": learner_actor(user),
        "verb": {"id": verb, "display": {"en-US": v.DEFINED_VERBS[verb]}},
        "object": activity,
        "context": context,
        **extra,
    }


def _au_activity(session) -> dict:
    unit = session.unit
    return {
        "objectType": "Activity",
        "id": au_activity_id(registration=session.enrolment.registration, unit=unit),
    }


def launched(session, *, launch_url: str) -> dict:
    unit = session.unit
    template = context_template(session)
    extensions = {
        **template["extensions"],
        v.EXTENSION_LAUNCH_MODE: session.launch_mode,
        v.EXTENSION_LAUNCH_URL: launch_url,
        v.EXTENSION_MOVE_ON: unit.move_on,
    }
    if unit.launch_parameters:
        extensions[v.EXTENSION_LAUNCH_PARAMETERS] = unit.launch_parameters
    if unit.mastery_score is not None:
        extensions[v.EXTENSION_MASTERY_SCORE] = float(unit.mastery_score)
    return _statement(
        user=session.enrolment.user,
        verb=v.LAUNCHED,
        activity=_au_activity(session),
        registration=session.enrolment.registration,
        context={**template, "extensions": extensions},
    )


def abandoned(session, *, seconds: float) -> dict:
    return _statement(
        user=session.enrolment.user,
        verb=v.ABANDONED,
        activity=_au_activity(session),
        registration=session.enrolment.registration,
        context=context_template(session),
        result={"duration": iso_duration(seconds)},
    )


def waived(*, enrolment, unit, reason: str) -> dict:
    """Outside any AU session: a session id of its own (9.6.1); the reason is a result
    extension (9.5.5.2); success and completion make it a moveon statement (9.6.2.2).
    """
    statement = _statement(
        user=enrolment.user,
        verb=v.WAIVED,
        activity={
            "objectType": "Activity",
            "id": au_activity_id(registration=enrolment.registration, unit=unit),
        },
        registration=enrolment.registration,
        context={
            "contextActivities": {"grouping": [{"id": unit.publisher_id}]},
            "extensions": {v.EXTENSION_SESSION: str(uuid.uuid4())},
        },
        result={
            "success": True,
            "completion": True,
            "extensions": {v.EXTENSION_REASON: reason},
        },
    )
    statement["context"]["contextActivities"]["category"].append({"id": v.CATEGORY_MOVEON})
    return statement


def satisfied_block(*, enrolment, block_id: str, session_id: str | None) -> dict:
    return _satisfied(
        enrolment=enrolment,
        activity_id=block_activity_id(registration=enrolment.registration, block_id=block_id),
        publisher_id=block_id,
        activity_type=v.ACTIVITY_TYPE_BLOCK,
        session_id=session_id,
    )


def satisfied_course(*, enrolment, package, session_id: str | None) -> dict:
    return _satisfied(
        enrolment=enrolment,
        activity_id=course_activity_id(registration=enrolment.registration, package=package),
        publisher_id=package.publisher_id,
        activity_type=v.ACTIVITY_TYPE_COURSE,
        session_id=session_id,
    )


def _satisfied(*, enrolment, activity_id, publisher_id, activity_type, session_id) -> dict:
    # Satisfied outside an AU session (at registration, after a waiver) gets a session id of
    # its own (9.6.1).
    context = {
        "contextActivities": {"grouping": [{"id": publisher_id}]},
        "extensions": {v.EXTENSION_SESSION: session_id or str(uuid.uuid4())},
    }
    return _statement(
        user=enrolment.user,
        verb=v.SATISFIED,
        activity={
            "objectType": "Activity",
            "id": activity_id,
            "definition": {"type": activity_type},
        },
        registration=enrolment.registration,
        context=context,
    )
