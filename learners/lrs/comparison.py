"""Statement comparison (xAPI 1.0.3 Data 2.3.1, "Statement Comparison Requirements").

Two statements with the same id are the same statement when they differ only in what the
exceptions to immutability allow: the properties the LRS sets (id case, authority, stored,
version, a timestamp it filled in), activity definitions, the order of a Group's members, the
case of UUIDs, how a timestamp writes its instant, context activities given as one object or
an array, and an `objectType` written out at its default (`"Agent"` for an agent, `"Activity"`
for an activity). `comparison_form` removes those differences; `content_hash` is its SHA-256,
stored with each statement so that a re-send is compared without reading the stored one.
"""

import hashlib

from .identity import is_group
from .validation import parse_timestamp
from .validation.jsontext import dumps, dumps_bytes

LRS_SET = ("id", "authority", "stored", "version", "timestamp")


def as_list(value) -> list:
    return value if type(value) is list else [value]


def _agent(value):
    """An Agent without its default objectType; a Group with its members in a fixed order."""
    if type(value) is not dict:
        return value
    if is_group(value):
        if "member" not in value:
            return value
        members = sorted(
            (_agent(member) for member in as_list(value["member"])),
            key=lambda m: dumps(m, sort_keys=True),
        )
        return {**value, "member": members}
    return {key: item for key, item in value.items() if key != "objectType"}


def _activity(value) -> dict:
    """An Activity by its id (and objectType only if it is not the default)."""
    if type(value) is not dict:
        return value
    return {
        key: item
        for key, item in value.items()
        if key != "definition" and not (key == "objectType" and item == "Activity")
    }


def comparison_form(statement: dict, *, with_timestamp: bool = True) -> dict:
    """The statement with every difference Data 2.3.1 says to ignore taken out.

    `with_timestamp=False` leaves the timestamp out too: for comparing with a statement the LRS
    gave a timestamp because its sender had none.
    """
    form = {key: value for key, value in statement.items() if key not in LRS_SET}
    if with_timestamp and "timestamp" in statement:
        instant = parse_timestamp(statement["timestamp"])
        form["timestamp"] = instant.timestamp() if instant else statement["timestamp"]
    form["actor"] = _agent(statement.get("actor"))
    target = statement.get("object") or {}
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        form["object"] = _activity(target)
    elif kind in ("Agent", "Group"):
        form["object"] = {**_agent(target), "objectType": kind}
    elif kind == "SubStatement":
        form["object"] = comparison_form(target, with_timestamp=with_timestamp)
    elif kind == "StatementRef":
        form["object"] = {**target, "id": str(target.get("id", "")).lower()}
    context = statement.get("context")
    if context:
        context = dict(context)
        activities = context.get("contextActivities")
        if activities:
            context["contextActivities"] = {
                key: [_activity(a) for a in as_list(value)] for key, value in activities.items()
            }
        if "registration" in context:
            context["registration"] = str(context["registration"]).lower()
        if "instructor" in context:
            context["instructor"] = _agent(context["instructor"])
        if "team" in context:
            context["team"] = _agent(context["team"])
        if "statement" in context and type(context["statement"]) is dict:
            ref = context["statement"]
            context["statement"] = {**ref, "id": str(ref.get("id", "")).lower()}
        form["context"] = context
    return form


def content_hash(statement: dict) -> str:
    """SHA-256 of the comparison form: equal for statements the spec calls the same."""
    return hashlib.sha256(dumps_bytes(comparison_form(statement), sort_keys=True)).hexdigest()


def same_statement(sent: dict, stored: dict) -> bool:
    """Whether `sent` is the statement `stored` (as the LRS stored it, with its timestamp).

    Used when the hashes differ: rows hashed by an earlier form of the comparison, or a
    statement sent without a timestamp and stored with the one the LRS gave it.
    """
    with_timestamp = "timestamp" in sent
    return comparison_form(sent, with_timestamp=with_timestamp) == comparison_form(
        stored, with_timestamp=with_timestamp
    )
