"""The Statement Resource, /xapi/statements (xAPI 1.0.3 Communication 2.1)."""

import json
from datetime import datetime
from functools import partial

from django.core import signing
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse

from learners.lrs.attachments import (
    attachment_contents,
    check_parts_match,
    check_signatures,
    multipart_response,
    parse_multipart,
)
from learners.lrs.documents.refs import digest
from learners.lrs.http import XAPIError, http_date, xapi_endpoint
from learners.lrs.identity import agent_ifi
from learners.lrs.models import Activity, Scope, indexed
from learners.lrs.selectors import StatementFilters, attachments_for, statement_get, statements_page
from learners.lrs.services import StatementConflictError, StatementForbiddenError, statements_store
from learners.lrs.validation import StatementValidationError, is_iri, is_uuid, parse_timestamp
from learners.lrs.validation import statements as rules
from learners.lrs.validation.jsontext import loads as json_loads

from .formats import as_canonical, as_ids, parse_accept_language

# The most statements one page holds, and the page size when `limit` is absent or 0
# ("the maximum the server will allow", Communication 2.1.3). A page of 100 keeps a query's
# answer small enough to serve well within 50 ms; clients follow `more` for the rest.
MAX_LIMIT = 100
QUERY_PARAMS = frozenset(
    {
        "agent",
        "verb",
        "activity",
        "registration",
        "related_activities",
        "related_agents",
        "since",
        "until",
        "limit",
        "format",
        "attachments",
        "ascending",
    }
)
SINGLE_PARAMS = frozenset({"statementId", "voidedStatementId", "attachments", "format"})
FORMATS = ("exact", "ids", "canonical")
MORE_SALT = "learners.lrs.more"
R_GET = "xAPI 1.0.3 Communication 2.1.3"
R_PUT = "xAPI 1.0.3 Communication 2.1.1"
R_POST = "xAPI 1.0.3 Communication 2.1.2"


def _bad(message: str, prop: str, rule: str = R_GET):
    raise XAPIError(400, message, prop, rule)


def _boolean(params: dict, name: str) -> bool:
    value = params.get(name)
    if value is None:
        return False
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    _bad(f"{name} must be true or false.", name)


def _timestamp(params: dict, name: str) -> datetime | None:
    if name not in params:
        return None
    value = parse_timestamp(params[name])
    if value is None:
        _bad(f"{name} must be an ISO 8601 timestamp.", name)
    return value


def _read_body(request) -> tuple[object, dict]:
    """The statement(s) from a JSON or multipart/mixed body (Communication 1.5)."""
    xreq = request.xapi
    if xreq.content_type == "multipart/mixed":
        first, parts = parse_multipart(xreq.body, xreq.content_type_header)
        contents = attachment_contents(parts)
        return json_loads(first, "content"), contents
    if xreq.content_type not in ("application/json", ""):
        _bad(
            "Statements must be sent as application/json or multipart/mixed.",
            "Content-Type",
            "xAPI 1.0.3 Communication 1.5",
        )
    if not xreq.body:
        _bad("The request has no statement in its body.", "content", R_POST)
    return xreq.json_body(), {}


def _store(request, statements: list, contents: dict) -> list[str]:
    """Store statements with the attachment contents sent with them (multipart parts)."""
    auth = request.lrs_auth
    check_parts_match(statements, contents)
    signed = [s for s in statements if type(s) is dict and s.get("attachments")]
    for statement in signed:
        rules.validate_statement(statement)
    if signed:
        check_signatures(statements, contents)
    store = partial(
        statements_store,
        statements=statements,
        authority=auth.authority,
        attachments=contents,
        actor_restriction=auth.actor_restriction,
        void_right=auth.void_right,
    )
    try:
        if auth.policy is None:
            return store()  # one transaction of its own
        with transaction.atomic():
            auth.policy.check_statements(statements)
            ids = store()
            # In the same transaction: what the stored statements decide (cmi5 moveOn).
            auth.policy.statements_stored(statements)
            return ids
    except StatementConflictError as exc:
        raise XAPIError(409, exc.message, "id", "xAPI 1.0.3 Communication 2.1.1") from exc
    except StatementForbiddenError as exc:
        raise XAPIError(403, str(exc), exc.property, exc.rule) from exc


def _put(request) -> HttpResponse:
    """PUT: store one statement under the statementId parameter (Communication 2.1.1)."""
    params = request.xapi.params
    statement_id = params.get("statementId")
    if statement_id is None:
        _bad("PUT needs the statementId parameter.", "statementId", R_PUT)
    if not is_uuid(statement_id):
        _bad("statementId must be a UUID.", "statementId", R_PUT)
    extra = set(params) - {"statementId"}
    if extra:
        _bad(f"Unexpected parameter {sorted(extra)[0]!r}.", sorted(extra)[0], R_PUT)
    data, contents = _read_body(request)
    if type(data) is not dict:
        _bad("PUT takes one statement, a JSON object.", "content", R_PUT)
    if "id" in data:
        if type(data["id"]) is not str or data["id"].lower() != statement_id.lower():
            _bad("The statement's id does not match the statementId parameter.", "id", R_PUT)
    else:
        data = {**data, "id": statement_id}
    _store(request, [data], contents)
    return HttpResponse(status=204)


def _post(request) -> HttpResponse:
    """POST: store a statement or a batch; answer their ids in order (Communication 2.1.2)."""
    extra = set(request.xapi.params)
    if extra:
        _bad(f"Unexpected parameter {sorted(extra)[0]!r}.", sorted(extra)[0], R_POST)
    data, contents = _read_body(request)
    statements = data if type(data) is list else [data]
    ids = _store(request, statements, contents)
    return HttpResponse(json.dumps(ids), status=200, content_type="application/json")


def _filters(request, params: dict) -> StatementFilters:
    unknown = set(params) - QUERY_PARAMS
    if unknown:
        name = sorted(unknown)[0]
        _bad(f"{name!r} is not a parameter of GET /statements.", name)
    filters = StatementFilters()
    if "agent" in params:
        try:
            agent = json_loads(params["agent"], "agent")
            rules.actor(agent, "agent")
        except StatementValidationError as exc:
            raise XAPIError(400, exc.message, exc.property, exc.rule) from exc
        filters.agent_ifi = agent_ifi(agent)
        if filters.agent_ifi is None:
            _bad("agent must be identified (an anonymous Group cannot be queried).", "agent")
    if "verb" in params:
        if not is_iri(params["verb"]):
            _bad("verb must be an IRI.", "verb")
        filters.verb_id = params["verb"]
    if "activity" in params:
        if not is_iri(params["activity"]):
            _bad("activity must be an IRI.", "activity")
        filters.activity_id = params["activity"]
    if "registration" in params:
        if not is_uuid(params["registration"]):
            _bad("registration must be a UUID.", "registration")
        filters.registration = params["registration"].lower()
    filters.related_activities = _boolean(params, "related_activities")
    filters.related_agents = _boolean(params, "related_agents")
    filters.ascending = _boolean(params, "ascending")
    filters.since = _timestamp(params, "since")
    filters.until = _timestamp(params, "until")
    auth = request.lrs_auth
    filters.actor_restriction = auth.actor_restriction
    if not auth.reads_all_statements and not auth.actor_restriction:
        filters.authority_restriction = auth.authority_ifi
    return filters


def _limit(params: dict) -> int:
    """The page size: `limit` when smaller than the LRS's maximum, else the maximum."""
    raw = params.get("limit", "0")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        _bad("limit must be a whole number (at most 9 digits).", "limit")
    limit = int(raw)
    return MAX_LIMIT if limit == 0 else min(limit, MAX_LIMIT)


def _format(params: dict) -> str:
    value = params.get("format", "exact")
    if value not in FORMATS:
        _bad("format must be ids, exact or canonical.", "format")
    return value


def _render(request, statements: list, fmt: str) -> list[str]:
    """Each statement as JSON text in the requested format: exact is the stored text as it
    is, joined into the response without parsing; ids and canonical need the parsed form.
    """
    if fmt == "exact":
        return [s.payload for s in statements]
    parsed = [s.exact_json() for s in statements]
    if fmt == "ids":
        return [json.dumps(as_ids(s), separators=(",", ":")) for s in parsed]
    preferred = parse_accept_language(request.headers.get("Accept-Language"))
    activity_ids = {value for s in parsed for value in _activity_ids_in(s) if type(value) is str}
    definitions = {
        row.activity_id: row.definition
        for row in Activity.objects.filter(activity_key__in=[digest(a) for a in activity_ids])
    }
    return [
        json.dumps(as_canonical(s, preferred, definitions), separators=(",", ":")) for s in parsed
    ]


def _activity_ids_in(statement: dict):
    target = statement.get("object") or {}
    if target.get("objectType", "Activity") == "Activity":
        yield target.get("id")
    elif target.get("objectType") == "SubStatement":
        yield from _activity_ids_in(target)
    for items in ((statement.get("context") or {}).get("contextActivities") or {}).values():
        for item in items:
            yield item.get("id")


def _respond(request, document: str, statements: list, *, with_attachments: bool):
    if with_attachments:
        body, content_type = multipart_response(document.encode(), attachments_for(statements))
        response = HttpResponse(body, content_type=content_type)
    else:
        response = HttpResponse(document, content_type="application/json")
    if statements:
        response["Last-Modified"] = http_date(max(s.stored for s in statements))
    return response


def _get_one(request, params: dict) -> HttpResponse:
    extra = set(params) - SINGLE_PARAMS
    if extra or ("statementId" in params and "voidedStatementId" in params):
        name = sorted(extra)[0] if extra else "voidedStatementId"
        _bad(
            "statementId and voidedStatementId take no other parameters but attachments "
            f"and format (got {name!r}).",
            name,
        )
    voided = "voidedStatementId" in params
    name = "voidedStatementId" if voided else "statementId"
    if not is_uuid(params[name]):
        _bad(f"{name} must be a UUID.", name)
    fmt = _format(params)
    with_attachments = _boolean(params, "attachments")
    statement = statement_get(statement_id=params[name].lower(), voided=voided)
    auth = request.lrs_auth
    if statement is not None:
        own = {indexed(ifi) for ifi in auth.actor_restriction or ()}
        if own and statement.actor_ifi not in own:
            statement = None
        elif not auth.reads_all_statements and not auth.actor_restriction:
            if statement.authority_ifi != indexed(auth.authority_ifi):
                statement = None
    if statement is None:
        raise XAPIError(404, f"No statement with {name} {params[name]}.", name, R_GET)
    document = _render(request, [statement], fmt)[0]
    return _respond(request, document, [statement], with_attachments=with_attachments)


def _more_link(params: dict, cursor, until) -> str:
    token = signing.dumps(
        {
            "p": params,
            "c": [cursor[0].isoformat(), cursor[1]],
            "u": until.isoformat() if until else None,
        },
        salt=MORE_SALT,
        compress=True,
    )
    return f"{reverse('lrs:statements')}?more={token}"


def _get_many(request, params: dict) -> HttpResponse:
    cursor = None
    bound = None
    if "more" in params:
        try:
            state = signing.loads(params["more"], salt=MORE_SALT)
        except signing.BadSignature as exc:
            raise XAPIError(400, "The more link is not valid.", "more", R_GET) from exc
        params = state["p"]
        cursor = (datetime.fromisoformat(state["c"][0]), state["c"][1])
        bound = datetime.fromisoformat(state["u"]) if state["u"] else None
    filters = _filters(request, params)
    limit = _limit(params)
    fmt = _format(params)
    with_attachments = _boolean(params, "attachments")
    if bound is None:
        # Fix the end of the result set at the first page: statements stored while the
        # client pages do not shift or repeat (Communication 2.1.3, "more").
        received = request.xapi.received
        bound = min(filters.until, received) if filters.until else received
    filters.until = bound
    rows, next_cursor = statements_page(filters=filters, limit=limit, cursor=cursor)
    more = _more_link(params, next_cursor, bound) if next_cursor else ""
    document = (
        '{"statements":['
        + ",".join(_render(request, rows, fmt))
        + '],"more":'
        + json.dumps(more)
        + "}"
    )
    return _respond(request, document, rows, with_attachments=with_attachments)


@xapi_endpoint(
    methods=("GET", "PUT", "POST"),
    scope={
        "GET": Scope.STATEMENTS_READ_MINE,
        "PUT": Scope.STATEMENTS_WRITE,
        "POST": Scope.STATEMENTS_WRITE,
    },
)
def statements(request):
    """/xapi/statements: PUT (2.1.1), POST (2.1.2) and GET (2.1.3) of xAPI 1.0.3
    Communication; GET by statementId / voidedStatementId or by query with `more` paging.
    """
    method = request.xapi.method
    if method == "PUT":
        return _put(request)
    if method == "POST":
        return _post(request)
    params = request.xapi.params
    if "statementId" in params or "voidedStatementId" in params:
        return _get_one(request, params)
    return _get_many(request, params)
