"""The `format` parameter of GET /statements (xAPI 1.0.3 Communication 2.1.3): exact (as
stored), ids (only identifiers of agents, activities and verbs) and canonical (one language
per language map, chosen by Accept-Language, and the LRS's canonical activity definitions).
"""

from learners.lrs.identity import IFI_PROPERTIES

LANGUAGE_MAP_KEYS = ("display", "name", "description")
COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")


def _agent_ids(agent):
    if type(agent) is not dict:
        return agent
    reduced = {key: agent[key] for key in ("objectType", *IFI_PROPERTIES) if key in agent}
    if agent.get("objectType") == "Group" and not any(k in agent for k in IFI_PROPERTIES):
        reduced["member"] = [_agent_ids(member) for member in agent.get("member", [])]
    return reduced


def _activity_ids(activity):
    """Only the id: objectType is not needed to identify an Activity (Communication 2.1.3)."""
    return {"id": activity["id"]} if "id" in activity else {}


def _object_ids(target: dict) -> dict:
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        return _activity_ids(target)
    if kind in ("Agent", "Group"):
        return _agent_ids(target)
    if kind == "SubStatement":
        return as_ids(target)
    return target


def as_ids(statement: dict) -> dict:
    """Format 'ids': agents by IFI, activities by id, verbs by id."""
    result = dict(statement)
    result["actor"] = _agent_ids(statement["actor"])
    result["verb"] = {"id": statement["verb"]["id"]}
    result["object"] = _object_ids(statement["object"])
    if "authority" in statement:
        result["authority"] = _agent_ids(statement["authority"])
    context = statement.get("context")
    if context:
        context = dict(context)
        for key in ("instructor", "team"):
            if key in context:
                context[key] = _agent_ids(context[key])
        if "contextActivities" in context:
            context["contextActivities"] = {
                key: [_activity_ids(a) for a in value]
                for key, value in context["contextActivities"].items()
            }
        result["context"] = context
    return result


def parse_accept_language(header: str | None) -> list[str]:
    """Language ranges in order of preference (RFC 7231 5.3.5)."""
    ranges = []
    for index, piece in enumerate((header or "").split(",")):
        tag, _, params = piece.strip().partition(";")
        if not tag:
            continue
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        if quality > 0:
            ranges.append((-quality, index, tag.strip().lower()))
    return [tag for _, _, tag in sorted(ranges)]


def _pick(language_map: dict, preferred: list[str]) -> dict:
    if type(language_map) is not dict or len(language_map) <= 1:
        return language_map
    lowered = {key.lower(): key for key in language_map}
    for wanted in preferred:
        if wanted == "*":
            break
        if wanted in lowered:
            key = lowered[wanted]
            return {key: language_map[key]}
        for candidate, key in lowered.items():
            if candidate.split("-")[0] == wanted.split("-")[0]:
                return {key: language_map[key]}
    key = next(iter(language_map))
    return {key: language_map[key]}


def _canonical_value(value, preferred: list[str], definitions: dict):
    if type(value) is list:
        return [_canonical_value(item, preferred, definitions) for item in value]
    if type(value) is not dict:
        return value
    result = {}
    for key, item in value.items():
        if key in LANGUAGE_MAP_KEYS and type(item) is dict:
            result[key] = _pick(item, preferred)
        elif key == "extensions":
            result[key] = item
        else:
            result[key] = _canonical_value(item, preferred, definitions)
    if (
        result.get("objectType", "Activity") == "Activity"
        and "id" in result
        and type(result.get("id")) is str
        and result["id"] in definitions
    ):
        definition = definitions[result["id"]]
        if definition:
            result["definition"] = _canonical_value(definition, preferred, {})
    return result


def as_canonical(statement: dict, preferred: list[str], definitions: dict) -> dict:
    """Format 'canonical': canonical activity definitions, one language per language map."""
    return _canonical_value(statement, preferred, definitions)
