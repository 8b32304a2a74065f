"""Strict validation of statements against the MUSTs of xAPI 1.0.3 Data 2 and 4.

Hand-written rather than declarative: each check is a dict lookup or one regular expression,
which keeps a typical statement under a few tens of microseconds. Each failure names the
property (a dotted path inside the statement) and the rule (the spec section).
"""

from .errors import StatementValidationError
from .formats import (
    LANGUAGE_RE,
    MAILTO_RE,
    MEDIA_TYPE_RE,
    SHA1_RE,
    SHA2_RE,
    VERSION_RE,
    is_duration,
    is_iri,
    is_uuid,
    parse_timestamp,
)

VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"

STATEMENT_KEYS = frozenset(
    {
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
    }
)
SUBSTATEMENT_KEYS = frozenset(
    {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
)
AGENT_KEYS = frozenset({"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"})
GROUP_KEYS = AGENT_KEYS | {"member"}
IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")
ACCOUNT_KEYS = frozenset({"homePage", "name"})
VERB_KEYS = frozenset({"id", "display"})
ACTIVITY_KEYS = frozenset({"objectType", "id", "definition"})
DEFINITION_KEYS = frozenset(
    {
        "name",
        "description",
        "type",
        "moreInfo",
        "extensions",
        "interactionType",
        "correctResponsesPattern",
        "choices",
        "scale",
        "source",
        "target",
        "steps",
    }
)
INTERACTION_TYPES = frozenset(
    {
        "true-false",
        "choice",
        "fill-in",
        "long-fill-in",
        "matching",
        "performance",
        "sequencing",
        "likert",
        "numeric",
        "other",
    }
)
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")
COMPONENT_KEYS = frozenset({"id", "description"})
STATEMENT_REF_KEYS = frozenset({"objectType", "id"})
RESULT_KEYS = frozenset({"score", "success", "completion", "response", "duration", "extensions"})
SCORE_KEYS = frozenset({"scaled", "raw", "min", "max"})
CONTEXT_KEYS = frozenset(
    {
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    }
)
CONTEXT_ACTIVITY_KEYS = frozenset({"parent", "grouping", "category", "other"})
ATTACHMENT_KEYS = frozenset(
    {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
)

R_FORMAT = "xAPI 1.0.3 Data 2.2: formatting requirements"
R_STATEMENT = "xAPI 1.0.3 Data 2.4: statement properties"
R_ID = "xAPI 1.0.3 Data 2.4.1: id is a UUID"
R_ACTOR = "xAPI 1.0.3 Data 2.4.2: actor"
R_IFI = "xAPI 1.0.3 Data 2.4.2.3: exactly one inverse functional identifier"
R_ACCOUNT = "xAPI 1.0.3 Data 2.4.2.4: account object"
R_GROUP = "xAPI 1.0.3 Data 2.4.2.2: groups"
R_VERB = "xAPI 1.0.3 Data 2.4.3: verb"
R_OBJECT = "xAPI 1.0.3 Data 2.4.4: object"
R_ACTIVITY = "xAPI 1.0.3 Data 2.4.4.1: activity definition"
R_INTERACTION = "xAPI 1.0.3 Data 2.4.4.1: interaction activities"
R_SUBSTATEMENT = "xAPI 1.0.3 Data 2.4.4.3: sub-statements"
R_STATEMENT_REF = "xAPI 1.0.3 Data 2.4.4.3: statement references"
R_RESULT = "xAPI 1.0.3 Data 2.4.5: result"
R_SCORE = "xAPI 1.0.3 Data 2.4.5.1: score"
R_CONTEXT = "xAPI 1.0.3 Data 2.4.6: context"
R_CONTEXT_ACTIVITIES = "xAPI 1.0.3 Data 2.4.6.2: contextActivities"
R_TIMESTAMP = "xAPI 1.0.3 Data 4.5: ISO 8601 timestamps"
R_DURATION = "xAPI 1.0.3 Data 4.6: ISO 8601 durations"
R_VERSION = "xAPI 1.0.3 Data 2.4.10: version is 1.0.x"
R_AUTHORITY = "xAPI 1.0.3 Data 2.4.9: authority"
R_ATTACHMENT = "xAPI 1.0.3 Data 2.4.11: attachments"
R_LANGUAGE_MAP = "xAPI 1.0.3 Data 4.2: language maps"
R_EXTENSIONS = "xAPI 1.0.3 Data 4.1: extensions"
R_IRI = "xAPI 1.0.3 Data 4.3: IRIs are absolute"
R_VOIDING = "xAPI 1.0.3 Data 2.3.2: voiding"


def fail(message: str, prop: str, rule: str):
    raise StatementValidationError(message, prop, rule)


def _object(value, prop: str, rule: str) -> dict:
    if type(value) is not dict:
        fail(f"{prop} must be a JSON object.", prop, rule)
    return value


def _keys(value: dict, allowed: frozenset, prop: str, rule: str) -> None:
    extra = value.keys() - allowed
    if extra:
        name = sorted(extra)[0]
        fail(f"{prop}.{name} is not a property of this object.", f"{prop}.{name}", rule)
    if None in value.values():
        key = next(key for key, item in value.items() if item is None)
        fail(f"{prop}.{key} must not be null.", f"{prop}.{key}", R_FORMAT)


def _string(value, prop: str, rule: str) -> str:
    if type(value) is not str:
        fail(f"{prop} must be a string.", prop, rule)
    return value


def _iri(value, prop: str, rule: str = R_IRI) -> None:
    if not is_iri(value):
        fail(f"{prop} must be an absolute IRI with a scheme.", prop, rule)


def _uuid(value, prop: str, rule: str = R_ID) -> None:
    if not is_uuid(value):
        fail(f"{prop} must be a UUID.", prop, rule)


def _number(value, prop: str, rule: str):
    if type(value) not in (int, float):
        fail(f"{prop} must be a number.", prop, rule)
    return value


def _boolean(value, prop: str, rule: str) -> None:
    if type(value) is not bool:
        fail(f"{prop} must be true or false.", prop, rule)


def language_map(value, prop: str) -> None:
    """Data 4.2: keys are RFC 5646 language tags, values are strings."""
    _object(value, prop, R_LANGUAGE_MAP)
    if not value:
        fail(f"{prop} needs at least one language.", prop, R_LANGUAGE_MAP)
    for tag, text in value.items():
        if LANGUAGE_RE.match(tag) is None:
            fail(f"{prop} key {tag!r} is not a language tag.", f"{prop}.{tag}", R_LANGUAGE_MAP)
        if type(text) is not str:
            fail(f"{prop}.{tag} must be a string.", f"{prop}.{tag}", R_LANGUAGE_MAP)


def extensions(value, prop: str) -> None:
    """Data 4.1: keys are IRIs; values may be any JSON, null included."""
    _object(value, prop, R_EXTENSIONS)
    for key in value:
        if not is_iri(key):
            fail(f"{prop} key {key!r} must be an IRI.", f"{prop}.{key}", R_EXTENSIONS)


def _timestamp(value, prop: str) -> None:
    if parse_timestamp(value) is None:
        fail(f"{prop} must be an ISO 8601 timestamp (not offset -00:00).", prop, R_TIMESTAMP)


def _account(value, prop: str) -> None:
    _object(value, prop, R_ACCOUNT)
    _keys(value, ACCOUNT_KEYS, prop, R_ACCOUNT)
    if "homePage" not in value or "name" not in value:
        fail(f"{prop} needs both homePage and name.", prop, R_ACCOUNT)
    _iri(value["homePage"], f"{prop}.homePage", R_ACCOUNT)
    _string(value["name"], f"{prop}.name", R_ACCOUNT)


def _ifi(value: dict, prop: str, *, required: bool) -> None:
    present = [key for key in IFI_KEYS if key in value]
    if len(present) > 1:
        fail(f"{prop} has more than one identifier: {', '.join(present)}.", prop, R_IFI)
    if not present:
        if required:
            fail(f"{prop} needs exactly one of mbox, mbox_sha1sum, openid, account.", prop, R_IFI)
        return
    key = present[0]
    item = value[key]
    if key == "mbox":
        if type(item) is not str or MAILTO_RE.match(item) is None:
            fail(f"{prop}.mbox must be a mailto: IRI.", f"{prop}.mbox", R_IFI)
    elif key == "mbox_sha1sum":
        if type(item) is not str or SHA1_RE.match(item) is None:
            fail(f"{prop}.mbox_sha1sum must be a SHA-1 hex digest.", f"{prop}.mbox_sha1sum", R_IFI)
    elif key == "openid":
        _iri(item, f"{prop}.openid", R_IFI)
    else:
        _account(item, f"{prop}.account")


def agent(value, prop: str, *, object_type_required: bool = False) -> None:
    """An Agent (Data 2.4.2.1): exactly one IFI, optional name, objectType 'Agent'."""
    _object(value, prop, R_ACTOR)
    _keys(value, AGENT_KEYS, prop, R_ACTOR)
    object_type = value.get("objectType")
    if object_type is None:
        if object_type_required:
            fail(f"{prop}.objectType must be 'Agent' here.", f"{prop}.objectType", R_OBJECT)
    elif object_type != "Agent":
        fail(f"{prop}.objectType must be 'Agent'.", f"{prop}.objectType", R_ACTOR)
    if "name" in value:
        _string(value["name"], f"{prop}.name", R_ACTOR)
    _ifi(value, prop, required=True)


def group(value, prop: str) -> None:
    """A Group (Data 2.4.2.2): anonymous with members, or identified by one IFI."""
    _object(value, prop, R_GROUP)
    _keys(value, GROUP_KEYS, prop, R_GROUP)
    if value.get("objectType") != "Group":
        fail(f"{prop}.objectType must be 'Group'.", f"{prop}.objectType", R_GROUP)
    if "name" in value:
        _string(value["name"], f"{prop}.name", R_GROUP)
    _ifi(value, prop, required=False)
    identified = any(key in value for key in IFI_KEYS)
    if "member" in value:
        members = value["member"]
        if type(members) is not list:
            fail(f"{prop}.member must be an array of Agents.", f"{prop}.member", R_GROUP)
        if not identified and not members:
            fail(f"{prop}: an anonymous Group needs members.", f"{prop}.member", R_GROUP)
        for index, member in enumerate(members):
            member_prop = f"{prop}.member[{index}]"
            if type(member) is dict and member.get("objectType") == "Group":
                fail(f"{member_prop}: a Group's members must be Agents.", member_prop, R_GROUP)
            agent(member, member_prop)
    elif not identified:
        fail(f"{prop}: an anonymous Group needs a member list.", f"{prop}.member", R_GROUP)


def actor(value, prop: str) -> None:
    """An Agent or a Group."""
    if type(value) is dict and value.get("objectType") == "Group":
        group(value, prop)
    else:
        agent(value, prop)


def verb(value, prop: str = "verb") -> None:
    _object(value, prop, R_VERB)
    _keys(value, VERB_KEYS, prop, R_VERB)
    if "id" not in value:
        fail(f"{prop}.id is required.", f"{prop}.id", R_VERB)
    _iri(value["id"], f"{prop}.id", R_VERB)
    if "display" in value:
        language_map(value["display"], f"{prop}.display")


def _components(value, prop: str) -> None:
    if type(value) is not list:
        fail(f"{prop} must be an array of interaction components.", prop, R_INTERACTION)
    seen = set()
    for index, component in enumerate(value):
        item_prop = f"{prop}[{index}]"
        _object(component, item_prop, R_INTERACTION)
        _keys(component, COMPONENT_KEYS, item_prop, R_INTERACTION)
        component_id = component.get("id")
        if type(component_id) is not str or not component_id:
            fail(f"{item_prop}.id must be a non-empty string.", f"{item_prop}.id", R_INTERACTION)
        if component_id in seen:
            fail(f"{item_prop}.id {component_id!r} is repeated.", f"{item_prop}.id", R_INTERACTION)
        seen.add(component_id)
        if "description" in component:
            language_map(component["description"], f"{item_prop}.description")


def definition(value, prop: str) -> None:
    """An Activity Definition (Data 2.4.4.1), including interaction activities."""
    _object(value, prop, R_ACTIVITY)
    if not value:
        # Data 2.4.4.1: a definition has at least one of its properties; leave it out instead.
        fail(f"{prop} must have at least one property, or be left out.", prop, R_ACTIVITY)
    _keys(value, DEFINITION_KEYS, prop, R_ACTIVITY)
    if "name" in value:
        language_map(value["name"], f"{prop}.name")
    if "description" in value:
        language_map(value["description"], f"{prop}.description")
    if "type" in value:
        _iri(value["type"], f"{prop}.type", R_ACTIVITY)
    if "moreInfo" in value:
        _iri(value["moreInfo"], f"{prop}.moreInfo", R_ACTIVITY)
    if "extensions" in value:
        extensions(value["extensions"], f"{prop}.extensions")
    interaction_type = value.get("interactionType")
    if interaction_type is not None and (
        type(interaction_type) is not str or interaction_type not in INTERACTION_TYPES
    ):
        fail(
            f"{prop}.interactionType must be one of {', '.join(sorted(INTERACTION_TYPES))}.",
            f"{prop}.interactionType",
            R_INTERACTION,
        )
    if "correctResponsesPattern" in value:
        pattern = value["correctResponsesPattern"]
        if type(pattern) is not list or any(type(item) is not str for item in pattern):
            fail(
                f"{prop}.correctResponsesPattern must be an array of strings.",
                f"{prop}.correctResponsesPattern",
                R_INTERACTION,
            )
    for key in COMPONENT_LISTS:
        if key in value:
            _components(value[key], f"{prop}.{key}")
    has_interaction_parts = "correctResponsesPattern" in value or any(
        key in value for key in COMPONENT_LISTS
    )
    if has_interaction_parts and interaction_type is None:
        fail(
            f"{prop}: an interaction definition needs an interactionType.",
            f"{prop}.interactionType",
            R_INTERACTION,
        )


def activity(value, prop: str) -> None:
    _object(value, prop, R_OBJECT)
    _keys(value, ACTIVITY_KEYS, prop, R_OBJECT)
    object_type = value.get("objectType", "Activity")
    if object_type != "Activity":
        fail(f"{prop}.objectType must be 'Activity'.", f"{prop}.objectType", R_OBJECT)
    if "id" not in value:
        fail(f"{prop}.id is required for an Activity.", f"{prop}.id", R_OBJECT)
    _iri(value["id"], f"{prop}.id", R_OBJECT)
    if "definition" in value:
        definition(value["definition"], f"{prop}.definition")


def statement_ref(value, prop: str) -> None:
    _object(value, prop, R_STATEMENT_REF)
    _keys(value, STATEMENT_REF_KEYS, prop, R_STATEMENT_REF)
    if value.get("objectType") != "StatementRef":
        fail(f"{prop}.objectType must be 'StatementRef'.", f"{prop}.objectType", R_STATEMENT_REF)
    if "id" not in value:
        fail(f"{prop}.id is required.", f"{prop}.id", R_STATEMENT_REF)
    _uuid(value["id"], f"{prop}.id", R_STATEMENT_REF)


def statement_object(value, prop: str, *, in_substatement: bool) -> str:
    """The object of a statement; returns its objectType."""
    _object(value, prop, R_OBJECT)
    object_type = value.get("objectType", "Activity")
    if object_type == "Activity":
        activity(value, prop)
    elif object_type == "Agent":
        agent(value, prop, object_type_required=True)
    elif object_type == "Group":
        group(value, prop)
    elif object_type == "StatementRef":
        statement_ref(value, prop)
    elif object_type == "SubStatement":
        if in_substatement:
            fail(
                f"{prop}: a SubStatement cannot contain a SubStatement.",
                f"{prop}.objectType",
                R_SUBSTATEMENT,
            )
        substatement(value, prop)
    else:
        fail(
            f"{prop}.objectType must be Activity, Agent, Group, StatementRef or SubStatement.",
            f"{prop}.objectType",
            R_OBJECT,
        )
    return object_type


def result(value, prop: str = "result") -> None:
    _object(value, prop, R_RESULT)
    _keys(value, RESULT_KEYS, prop, R_RESULT)
    if "score" in value:
        score = _object(value["score"], f"{prop}.score", R_SCORE)
        _keys(score, SCORE_KEYS, f"{prop}.score", R_SCORE)
        for key in score:
            _number(score[key], f"{prop}.score.{key}", R_SCORE)
        if "scaled" in score and not -1 <= score["scaled"] <= 1:
            fail(f"{prop}.score.scaled must be between -1 and 1.", f"{prop}.score.scaled", R_SCORE)
        low, high, raw = score.get("min"), score.get("max"), score.get("raw")
        if low is not None and high is not None and low > high:
            fail(f"{prop}.score.min must not exceed max.", f"{prop}.score.min", R_SCORE)
        if raw is not None and low is not None and raw < low:
            fail(f"{prop}.score.raw must not be below min.", f"{prop}.score.raw", R_SCORE)
        if raw is not None and high is not None and raw > high:
            fail(f"{prop}.score.raw must not exceed max.", f"{prop}.score.raw", R_SCORE)
    if "success" in value:
        _boolean(value["success"], f"{prop}.success", R_RESULT)
    if "completion" in value:
        _boolean(value["completion"], f"{prop}.completion", R_RESULT)
    if "response" in value:
        _string(value["response"], f"{prop}.response", R_RESULT)
    if "duration" in value and not is_duration(value["duration"]):
        fail(f"{prop}.duration must be an ISO 8601 duration.", f"{prop}.duration", R_DURATION)
    if "extensions" in value:
        extensions(value["extensions"], f"{prop}.extensions")


def context(value, prop: str, *, object_type: str) -> None:
    _object(value, prop, R_CONTEXT)
    _keys(value, CONTEXT_KEYS, prop, R_CONTEXT)
    if "registration" in value:
        _uuid(value["registration"], f"{prop}.registration", R_CONTEXT)
    if "instructor" in value:
        actor(value["instructor"], f"{prop}.instructor")
    if "team" in value:
        group(value["team"], f"{prop}.team")
    if "contextActivities" in value:
        activities = _object(
            value["contextActivities"], f"{prop}.contextActivities", R_CONTEXT_ACTIVITIES
        )
        if not activities:
            fail(
                f"{prop}.contextActivities needs at least one activity list.",
                f"{prop}.contextActivities",
                R_CONTEXT_ACTIVITIES,
            )
        _keys(activities, CONTEXT_ACTIVITY_KEYS, f"{prop}.contextActivities", R_CONTEXT_ACTIVITIES)
        for key, items in activities.items():
            key_prop = f"{prop}.contextActivities.{key}"
            if type(items) is list:
                for index, item in enumerate(items):
                    activity(item, f"{key_prop}[{index}]")
            else:
                activity(items, key_prop)
    for key in ("revision", "platform"):
        if key in value:
            _string(value[key], f"{prop}.{key}", R_CONTEXT)
            if object_type != "Activity":
                fail(
                    f"{prop}.{key} may only be used when the object is an Activity.",
                    f"{prop}.{key}",
                    R_CONTEXT,
                )
    if "language" in value:
        language = value["language"]
        if type(language) is not str or LANGUAGE_RE.match(language) is None:
            fail(f"{prop}.language must be a language tag.", f"{prop}.language", R_CONTEXT)
    if "statement" in value:
        statement_ref(value["statement"], f"{prop}.statement")
    if "extensions" in value:
        extensions(value["extensions"], f"{prop}.extensions")


def attachments(value, prop: str = "attachments") -> None:
    if type(value) is not list:
        fail(f"{prop} must be an array.", prop, R_ATTACHMENT)
    for index, item in enumerate(value):
        item_prop = f"{prop}[{index}]"
        _object(item, item_prop, R_ATTACHMENT)
        _keys(item, ATTACHMENT_KEYS, item_prop, R_ATTACHMENT)
        for key in ("usageType", "display", "contentType", "length", "sha2"):
            if key not in item:
                fail(f"{item_prop}.{key} is required.", f"{item_prop}.{key}", R_ATTACHMENT)
        _iri(item["usageType"], f"{item_prop}.usageType", R_ATTACHMENT)
        language_map(item["display"], f"{item_prop}.display")
        if "description" in item:
            language_map(item["description"], f"{item_prop}.description")
        content_type = item["contentType"]
        if type(content_type) is not str or MEDIA_TYPE_RE.match(content_type) is None:
            fail(
                f"{item_prop}.contentType must be an Internet Media Type.",
                f"{item_prop}.contentType",
                R_ATTACHMENT,
            )
        if type(item["length"]) is not int or item["length"] < 0:
            fail(
                f"{item_prop}.length must be a whole number of octets.",
                f"{item_prop}.length",
                R_ATTACHMENT,
            )
        sha2 = item["sha2"]
        if type(sha2) is not str or SHA2_RE.match(sha2) is None:
            fail(f"{item_prop}.sha2 must be a SHA-2 hex digest.", f"{item_prop}.sha2", R_ATTACHMENT)
        if "fileUrl" in item:
            _iri(item["fileUrl"], f"{item_prop}.fileUrl", R_ATTACHMENT)


def _common(value: dict, prop: str, *, in_substatement: bool) -> None:
    for key in ("actor", "verb", "object"):
        if key not in value:
            fail(f"{prop}{key} is required.", f"{prop}{key}", R_STATEMENT)
    actor(value["actor"], f"{prop}actor")
    verb(value["verb"], f"{prop}verb")
    object_type = statement_object(
        value["object"], f"{prop}object", in_substatement=in_substatement
    )
    if value["verb"]["id"] == VOIDED_VERB and object_type != "StatementRef":
        fail(
            "A voiding statement's object must be a StatementRef.",
            f"{prop}object.objectType",
            R_VOIDING,
        )
    if "result" in value:
        result(value["result"], f"{prop}result")
    if "context" in value:
        context(value["context"], f"{prop}context", object_type=object_type)
    if "timestamp" in value:
        _timestamp(value["timestamp"], f"{prop}timestamp")
    if "attachments" in value:
        attachments(value["attachments"], f"{prop}attachments")


def substatement(value, prop: str) -> None:
    """Data 2.4.4.3: no id, stored, version or authority; no nested SubStatement."""
    _keys(value, SUBSTATEMENT_KEYS, prop, R_SUBSTATEMENT)
    _common(value, f"{prop}.", in_substatement=True)


def authority(value, prop: str = "authority") -> None:
    """Data 2.4.9: an Agent, or (OAuth 3-legged) an anonymous Group of exactly two Agents."""
    actor(value, prop)
    if value.get("objectType") != "Group":
        return
    if any(key in value for key in IFI_KEYS):
        fail(f"{prop}: an authority Group must be anonymous.", prop, R_AUTHORITY)
    if len(value["member"]) != 2:
        fail(f"{prop}: an authority Group has exactly two Agents.", f"{prop}.member", R_AUTHORITY)


def validate_statement(value) -> None:
    """Raise StatementValidationError unless `value` is a valid xAPI 1.0.3 statement."""
    if type(value) is not dict:
        fail("A statement must be a JSON object.", "statement", R_STATEMENT)
    _keys(value, STATEMENT_KEYS, "statement", R_STATEMENT)
    if "id" in value:
        _uuid(value["id"], "id")
    _common(value, "", in_substatement=False)
    if "stored" in value:
        _timestamp(value["stored"], "stored")
    if "authority" in value:
        authority(value["authority"])
    if "version" in value:
        version = value["version"]
        if type(version) is not str or VERSION_RE.match(version) is None:
            fail("version must be 1.0.x.", "version", R_VERSION)
