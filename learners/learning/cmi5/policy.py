"""The rules of cmi5 on AU traffic (section 9 and the LMS rules derived from it), enforced only
for requests made with an AU token. Each refusal is a 403 naming the rule; nothing of the batch
is stored (the checks run before the store, in its transaction).
"""

import json
import re
from decimal import Decimal

from django.utils import timezone

from learners.lrs.documents.refs import AgentProfileRef, StateRef, StateScope
from learners.lrs.http import XAPIError
from learners.lrs.identity import agent_ifi

from . import vocabulary as v
from .ids import au_activity_id, learner_actor
from .models import Cmi5UnitStatus, LaunchMode, SessionState

# RFC 5646 language tags, loosely: a primary subtag and optional subtags (cmi5 11.1).
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_UTC = re.compile(r"(Z|[+-]00:?00)$")
_MOVEON_VERBS = {v.COMPLETED, v.PASSED, v.FAILED}
_ONCE_PER_SESSION = {v.INITIALIZED, v.COMPLETED, v.PASSED, v.FAILED, v.TERMINATED}


def _refuse(message: str, rule: str, prop: str = "statement"):
    raise XAPIError(403, message, prop, f"cmi5 {rule}")


def _get(mapping, *path):
    for key in path:
        if not isinstance(mapping, dict):
            return None
        mapping = mapping.get(key)
    return mapping


def _ids(items) -> set[str]:
    if isinstance(items, dict):
        items = [items]
    return {item.get("id") for item in items or [] if isinstance(item, dict)}


class SessionPolicy:
    """What one launched session's AU may send."""

    def __init__(self, session):
        self.session = session
        enrolment = session.enrolment
        self.registration = str(enrolment.registration)
        self.actor_ifi = agent_ifi(learner_actor(enrolment.user))
        self.activity_id = au_activity_id(registration=enrolment.registration, unit=session.unit)

    # --- statements ---

    def check_statements(self, statements) -> None:
        """Refuse the batch if any statement breaks a rule, simulating the session's progress
        statement by statement (a batch may hold initialized, completed and terminated).
        """
        if not isinstance(statements, list):
            statements = [statements]
        state = self.session.state
        verbs = set(self.session.verbs)
        status = Cmi5UnitStatus.objects.filter(
            enrolment=self.session.enrolment, unit=self.session.unit
        ).first()
        completed = bool(status and status.completed)
        passed = bool(status and status.passed)
        for statement in statements:
            if not isinstance(statement, dict):
                return  # the LRS's own validation answers 400
            verb = _get(statement, "verb", "id")
            state, completed, passed = self._check_one(
                statement, verb, state, verbs, completed, passed
            )
            if verb in _ONCE_PER_SESSION:
                verbs.add(verb)

    def _check_one(self, statement, verb, state, verbs, completed, passed):
        if verb == v.VOIDED:
            _refuse("An AU may not void statements.", "9.3 (d)", "verb")
        if "id" not in statement:
            _refuse("An AU's statement must carry its id.", "9.1 (d)", "id")
        timestamp = statement.get("timestamp")
        if not isinstance(timestamp, str) or not _UTC.search(timestamp):
            _refuse("An AU's statement must carry a UTC timestamp.", "9.7.0.0-1", "timestamp")
        if agent_ifi(statement.get("actor")) != self.actor_ifi or _get(
            statement, "actor", "objectType"
        ) not in (None, "Agent"):
            _refuse("The actor must be the launch's actor.", "9.2.0.0-1", "actor")
        context = statement.get("context")
        if _get(context, "registration") != self.registration:
            _refuse("The registration must be the launch's.", "9.6.1.0-1", "context.registration")
        if self.session.unit.publisher_id not in _ids(
            _get(context, "contextActivities", "grouping")
        ) or _get(context, "extensions", v.EXTENSION_SESSION) != str(self.session.session_id):
            _refuse(
                "The statement must include the launch's context template.",
                "9.6.2.0-1",
                "context",
            )
        if state in (SessionState.TERMINATED, SessionState.ABANDONED):
            _refuse("The session has ended.", "9.3.8.0-2", "verb")
        if state == SessionState.LAUNCHED and verb != v.INITIALIZED:
            _refuse("The first statement of a session must be initialized.", "9.3.2.0-1", "verb")
        if verb in v.LMS_ONLY_VERBS:
            _refuse(f"Only the LMS sends {v.DEFINED_VERBS[verb]}.", "9.3 (d)", "verb")
        categories = _ids(_get(context, "contextActivities", "category"))
        if verb in v.DEFINED_VERBS:
            self._check_defined(statement, verb, verbs, categories, completed, passed)
        elif v.CATEGORY_MOVEON in categories or v.CATEGORY_CMI5 in categories:
            _refuse(
                "A cmi5 allowed statement may not use the cmi5 or moveon category.",
                "9.6.2.1-1",
                "context.contextActivities.category",
            )
        if verb == v.INITIALIZED:
            if not self.session.preferences_read:
                _refuse(
                    "Read the learner preferences (agent profile cmi5LearnerPreferences) "
                    "before sending initialized.",
                    "11.0.0.0-1 (d)",
                    "verb",
                )
            state = SessionState.INITIALIZED
        elif verb == v.TERMINATED:
            state = SessionState.TERMINATED
        completed = completed or verb == v.COMPLETED
        passed = passed or verb == v.PASSED
        return state, completed, passed

    def _check_defined(self, statement, verb, verbs, categories, completed, passed):
        if _get(statement, "object", "id") != self.activity_id:
            _refuse("The object must be the launch's activityId.", "9.4.0.0-1", "object.id")
        if v.CATEGORY_CMI5 not in categories:
            _refuse(
                "A cmi5 defined statement must use the cmi5 category.",
                "9.6.2.1-1",
                "context.contextActivities.category",
            )
        if verb in verbs:
            _refuse(f"{v.DEFINED_VERBS[verb]} was sent already in this session.", "9.3 (d)")
        result = statement.get("result") if isinstance(statement.get("result"), dict) else {}
        self._check_result_properties(verb, result)
        moveon = verb in _MOVEON_VERBS
        if moveon != (v.CATEGORY_MOVEON in categories):
            _refuse(
                f"{v.DEFINED_VERBS[verb]} must {'' if moveon else 'not '}use the moveon category.",
                "9.6.2.2-1",
                "context.contextActivities.category",
            )
        if verb == v.TERMINATED and "duration" not in result:
            _refuse("terminated needs result.duration.", "9.5.4.1-1", "result.duration")
        if not moveon:
            return
        if self.session.launch_mode != LaunchMode.NORMAL:
            _refuse(
                f"{v.DEFINED_VERBS[verb]} is not allowed in {self.session.launch_mode} mode.",
                "10.2.2.0-1",
                "verb",
            )
        if "duration" not in result:
            _refuse("The result must include a duration.", "9.5.4.1-1", "result.duration")
        if verb == v.COMPLETED:
            if completed:
                _refuse("completed was sent already in this registration.", "9.3.3.0-2")
        else:
            self._check_judgement(verb, result, passed)

    @staticmethod
    def _check_result_properties(verb, result) -> None:
        """9.5.2 and 9.5.3: success only in passed (true) and failed (false), completion only in
        completed (true); every other cmi5 defined statement carries neither.
        """
        wanted = {v.PASSED: ("success", True), v.FAILED: ("success", False)}.get(verb)
        if verb == v.COMPLETED:
            wanted = ("completion", True)
        for prop, rule in (("success", "9.5.2.0-1"), ("completion", "9.5.3.0-1")):
            if wanted and wanted[0] == prop:
                if result.get(prop) is not wanted[1]:
                    _refuse(
                        f"{v.DEFINED_VERBS[verb]} needs result.{prop} {str(wanted[1]).lower()}.",
                        rule,
                        f"result.{prop}",
                    )
            elif prop in result:
                _refuse(
                    f"{v.DEFINED_VERBS[verb]} may not include result.{prop}.",
                    rule,
                    f"result.{prop}",
                )

    def _check_judgement(self, verb, result, passed):
        if verb == v.PASSED and passed:
            _refuse("passed was sent already in this registration.", "9.3.4.0-2")
        if verb == v.FAILED and passed:
            _refuse("failed may not follow passed in a registration.", "9.3.5.0-2")
        success = verb == v.PASSED
        mastery = self.session.unit.mastery_score
        if mastery is None:
            return
        scaled = _get(result, "score", "scaled")
        if isinstance(scaled, bool) or not isinstance(scaled, int | float):
            _refuse(
                "With a masteryScore, the result needs score.scaled.",
                "9.5.1.0-1",
                "result.score.scaled",
            )
        if success and Decimal(str(scaled)) < mastery:
            _refuse(
                "passed needs score.scaled at or above the masteryScore.",
                "9.3.4.0-1",
                "result.score.scaled",
            )
        if not success and Decimal(str(scaled)) >= mastery:
            _refuse(
                "failed needs score.scaled below the masteryScore.",
                "9.3.5.0-1",
                "result.score.scaled",
            )

    def statements_stored(self, statements) -> None:
        """Move the session on, record what the AU achieved, and decide satisfaction."""
        from .satisfaction import satisfaction_update

        if not isinstance(statements, list):
            statements = [statements]
        session = self.session
        status, _ = Cmi5UnitStatus.objects.get_or_create(
            enrolment=session.enrolment, unit=session.unit
        )
        decided = False
        for statement in statements:
            verb = statement["verb"]["id"]
            if verb in _ONCE_PER_SESSION and verb not in session.verbs:
                session.verbs = [*session.verbs, verb]
            if verb == v.INITIALIZED:
                session.state, session.initialized_at = SessionState.INITIALIZED, timezone.now()
            elif verb == v.TERMINATED:
                session.state, session.ended_at = SessionState.TERMINATED, timezone.now()
            elif verb in _MOVEON_VERBS:
                setattr(
                    status,
                    {v.COMPLETED: "completed", v.PASSED: "passed", v.FAILED: "failed"}[verb],
                    True,
                )
                decided = True
        session.save(update_fields=["verbs", "state", "initialized_at", "ended_at"])
        status.save()
        if decided:
            satisfaction_update(enrolment=session.enrolment, session_id=str(session.session_id))

    # --- documents ---

    def check_document_write(self, *, ref, method: str, content: bytes) -> None:
        """LMS.LaunchData is the LMS's; learner preferences must stay a valid document."""
        if isinstance(ref, StateRef) and ref.state_id == v.LAUNCH_DATA_STATE_ID:
            _refuse("LMS.LaunchData is written by the LMS only.", "10.2.1.0-1 (d)", "stateId")
        if isinstance(ref, StateScope):
            _refuse("An AU may not delete every state document.", "10.2.1.0-1 (d)", "stateId")
        if isinstance(ref, AgentProfileRef) and ref.profile_id == v.LEARNER_PREFERENCES_PROFILE_ID:
            if method == "DELETE":
                _refuse("The learner preferences may not be deleted.", "11.0 (d)", "profileId")
            _preferences_check(content)

    def document_read(self, *, ref) -> None:
        if (
            isinstance(ref, AgentProfileRef)
            and ref.profile_id == v.LEARNER_PREFERENCES_PROFILE_ID
            and not self.session.preferences_read
        ):
            self.session.preferences_read = True
            self.session.save(update_fields=["preferences_read"])


def _preferences_check(content: bytes) -> None:
    try:
        document = json.loads(content)
    except ValueError:
        document = None
    allowed = {"languagePreference", "audioPreference"}
    languages = document.get("languagePreference", "en") if isinstance(document, dict) else None
    if (
        not isinstance(document, dict)
        or set(document) - allowed
        or not isinstance(languages, str)
        or not all(_LANGUAGE_TAG.match(tag.strip()) for tag in languages.split(","))
        or document.get("audioPreference", "on") not in ("on", "off")
    ):
        _refuse(
            "The learner preferences must be a JSON object with languagePreference (a "
            "comma-separated list of RFC 5646 language tags) "
            'and audioPreference ("on" or "off") only.',
            "11.0 (d)",
            "profileId",
        )
