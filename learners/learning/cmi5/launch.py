"""Launching an AU for a signed-in learner (cmi5 section 8), and the LMS's own session ends.

One registration per enrolment. A launch abandons any session of the registration still open
(one `abandoned` statement with its duration), writes LMS.LaunchData, stores `launched`, and
returns the AU's URL with the launch parameters merged into its own query.
"""

import json
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from learners.learning import services as learning
from learners.lrs.documents.refs import StateRef
from learners.lrs.documents.services import document_put
from learners.lrs.identity import agent_ifi
from learners.lrs.services import statements_store

from . import statements as build
from . import vocabulary as v
from .ids import au_activity_id, learner_actor
from .models import Cmi5Session, Cmi5UnitStatus, LaunchMode, SessionState, WaiveReason
from .tokens import fetch_token_new


class LaunchError(Exception):
    """A launch that cannot happen (course not open to the learner, unknown mode)."""


def content_url(unit, path: str) -> str:
    """Where the platform serves a file of the unit's package (no session needed to load it)."""
    origin = settings.CMI5_CONTENT_ORIGIN or settings.SITE_BASE_URL
    key = unit.package.content_key
    return f"{origin}{reverse('learners:cmi5_content', args=[key, path])}"


def _au_base_url(unit) -> str:
    parts = urlsplit(unit.url)
    if parts.scheme:
        return unit.url
    return content_url(unit, parts.path) + (f"?{parts.query}" if parts.query else "")


def _launch_url(unit, *, actor: dict, registration, activity_id: str, fetch: str) -> str:
    parts = urlsplit(_au_base_url(unit))
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [
        ("endpoint", f"{settings.SITE_BASE_URL}/xapi"),
        ("fetch", fetch),
        ("actor", json.dumps(actor, separators=(",", ":"))),
        ("registration", str(registration)),
        ("activityId", activity_id),
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def _launch_data(session, *, return_url: str) -> dict:
    unit = session.unit
    data = {
        "contextTemplate": build.context_template(session),
        "launchMode": session.launch_mode,
        "moveOn": unit.move_on,
        "returnURL": return_url,
    }
    if unit.launch_parameters:
        data["launchParameters"] = unit.launch_parameters
    if unit.mastery_score is not None:
        data["masteryScore"] = float(unit.mastery_score)  # a JSON number, not a string
    if unit.entitlement_key:
        data["entitlementKey"] = {"courseStructure": unit.entitlement_key}
    return data


def _abandon_open(enrolment) -> list[dict]:
    now = timezone.now()
    found = []
    for session in Cmi5Session.objects.select_for_update().filter(
        enrolment=enrolment, state__in=[SessionState.LAUNCHED, SessionState.INITIALIZED]
    ):
        started = session.initialized_at or session.launched_at
        found.append(build.abandoned(session, seconds=(now - started).total_seconds()))
        session.state, session.ended_at = SessionState.ABANDONED, now
        session.save(update_fields=["state", "ended_at"])
    return found


@transaction.atomic
def cmi5_launch(*, user, unit, launch_mode: str = LaunchMode.NORMAL, return_url: str) -> str:
    """Launch the AU for the learner; return the URL to send their browser to."""
    if launch_mode not in LaunchMode.values:
        raise LaunchError(f"{launch_mode!r} is not a launch mode.")
    course = unit.package.course
    try:
        enrolment = learning.enrolment_create(user=user, course=course)
    except learning.LearningError as error:
        raise LaunchError(str(error)) from error
    abandoned = _abandon_open(enrolment)
    token, token_digest = fetch_token_new()
    session = Cmi5Session.objects.create(
        enrolment=enrolment,
        unit=unit,
        launch_mode=launch_mode,
        fetch_token_digest=token_digest,
    )
    Cmi5UnitStatus.objects.get_or_create(enrolment=enrolment, unit=unit)
    actor = learner_actor(user)
    activity_id = au_activity_id(registration=enrolment.registration, unit=unit)
    document_put(
        ref=StateRef(activity_id, agent_ifi(actor), v.LAUNCH_DATA_STATE_ID, enrolment.registration),
        content=json.dumps(_launch_data(session, return_url=return_url)).encode(),
        content_type="application/json",
    )
    fetch = f"{settings.SITE_BASE_URL}{reverse('learners:cmi5_fetch', args=[token])}"
    url = _launch_url(
        unit,
        actor=actor,
        registration=enrolment.registration,
        activity_id=activity_id,
        fetch=fetch,
    )
    # The launched statement names the AU's URL without the launch parameters (9.6.3.4): the
    # fetch token stays out of the LRS.
    plain = _au_base_url(unit)
    statements_store(statements=[*abandoned, build.launched(session, launch_url=plain)])
    return url


@transaction.atomic
def cmi5_session_abandon(*, session_id, course=None) -> bool:
    """Staff end a session by its id (one `abandoned` statement); False if it had ended or is
    not a session of `course` (when given).
    """
    sessions = Cmi5Session.objects.select_for_update().filter(session_id=session_id)
    if course is not None:
        sessions = sessions.filter(enrolment__course=course)
    session = sessions.first()
    if session is None or not session.is_open:
        return False
    now = timezone.now()
    started = session.initialized_at or session.launched_at
    statement = build.abandoned(session, seconds=(now - started).total_seconds())
    session.state, session.ended_at = SessionState.ABANDONED, now
    session.save(update_fields=["state", "ended_at"])
    statements_store(statements=[statement])
    return True


@transaction.atomic
def cmi5_unit_waive(*, enrolment, unit, reason: str) -> list[str]:
    """Staff waive an AU for a registration: one `waived`, then what it satisfies.

    The reason is one of cmi5's four (9.5.5.2); waiving twice changes nothing.
    """
    from .satisfaction import satisfaction_update

    if reason not in WaiveReason.values:
        raise LaunchError(f"{reason!r} is not a cmi5 waiver reason.")
    if unit.package.course_id != enrolment.course_id:
        raise LaunchError("This AU is not part of the registration's course.")

    status, _ = Cmi5UnitStatus.objects.select_for_update().get_or_create(
        enrolment=enrolment, unit=unit
    )
    if status.waived:
        return []
    status.waived, status.waive_reason = True, reason[:200]
    status.save(update_fields=["waived", "waive_reason"])
    ids = statements_store(statements=[build.waived(enrolment=enrolment, unit=unit, reason=reason)])
    return ids + satisfaction_update(enrolment=enrolment)
