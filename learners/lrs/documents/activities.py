"""Activity objects found in statements, and how definitions merge (Data 2.4.4.1).

Pure functions: `statement_activities` lists every Activity object of a statement (its object,
its context activities, and those of a SubStatement); `definition_merge` folds a newer definition
into the stored one.
"""

from __future__ import annotations

LANGUAGE_MAPS = ("name", "description")
CONTEXT_KINDS = ("parent", "grouping", "category", "other")


def _as_list(value) -> list:
    if isinstance(value, list):
        return value
    return [value] if value is not None else []


def _activities_of(statement: dict) -> list[dict]:
    found = []
    target = statement.get("object")
    if isinstance(target, dict):
        kind = target.get("objectType", "Activity")
        if kind == "Activity" and "id" in target:
            found.append(target)
        elif kind == "SubStatement":
            found.extend(_activities_of(target))
    context = statement.get("context")
    context_activities = context.get("contextActivities") if isinstance(context, dict) else None
    if isinstance(context_activities, dict):
        for kind in CONTEXT_KINDS:
            found.extend(a for a in _as_list(context_activities.get(kind)) if isinstance(a, dict))
    return found


def statement_activities(statement: dict) -> list[dict]:
    """Every Activity object in the statement, its context and its SubStatement, in order."""
    return _activities_of(statement) if isinstance(statement, dict) else []


def definition_merge(stored: dict, newer: dict) -> dict:
    """The stored definition updated by a newer one.

    Language maps (name, description) and extensions gain the newer entries and keep the
    languages or keys the newer one lacks; every other property (type, moreInfo, interaction
    properties) is replaced as a whole.
    """
    merged = dict(stored)
    for key, value in newer.items():
        previous = merged.get(key)
        if key in (*LANGUAGE_MAPS, "extensions") and isinstance(previous, dict):
            if isinstance(value, dict):
                merged[key] = {**previous, **value}
                continue
        merged[key] = value
    return merged
