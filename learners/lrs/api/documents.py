"""The document resources and the Activities, Agents and About resources of xAPI 1.0.3.

Communication 2.2 (documents), 2.3 (State), 2.4 (Agents), 2.5 (Activities), 2.6 (Agent Profile),
2.7 (Activity Profile), 2.8 (About) and 3.1 (Concurrency). The views parse and check the
parameters, call one service or selector, and render; `learners.lrs.http.xapi_endpoint` does
CORS, the alternate request syntax, the version header, authentication, scopes and HEAD.
"""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import http_date

from learners.lrs.documents import selectors, services
from learners.lrs.documents.errors import DocumentError
from learners.lrs.documents.etags import etag_for, quoted
from learners.lrs.documents.refs import (
    ActivityProfileRef,
    ActivityProfileScope,
    AgentProfileRef,
    AgentProfileScope,
    StateRef,
    StateScope,
)
from learners.lrs.http import XAPIError, xapi_endpoint
from learners.lrs.identity import agent_ifi
from learners.lrs.models import Scope
from learners.lrs.validation import StatementValidationError, is_iri, is_uuid, parse_timestamp
from learners.lrs.validation.jsontext import loads as json_loads
from learners.lrs.validation.statements import agent as validate_agent

SUPPORTED_VERSIONS = ["1.0.3", "1.0.2", "1.0.1", "1.0.0"]
DOCUMENT_METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"]
R_STATE = "xAPI 1.0.3 Communication 2.3"
R_AGENTS = "xAPI 1.0.3 Communication 2.4"
R_ACTIVITIES = "xAPI 1.0.3 Communication 2.5"
R_AGENT_PROFILE = "xAPI 1.0.3 Communication 2.6"
R_ACTIVITY_PROFILE = "xAPI 1.0.3 Communication 2.7"


# --- Parameters -----------------------------------------------------------------------------


def _only(request, allowed: tuple[str, ...], rule: str) -> None:
    """Reject parameters the resource does not define: a misspelt one would be silently lost."""
    unknown = sorted(set(request.xapi.params) - set(allowed))
    if unknown:
        raise XAPIError(
            400,
            f"Unexpected parameter(s) {', '.join(unknown)}; this resource takes "
            f"{', '.join(allowed)}.",
            unknown[0],
            rule,
        )


def _param(request, name: str, rule: str, *, required: bool) -> str | None:
    value = request.xapi.params.get(name)
    if value is None or value == "":
        if required:
            raise XAPIError(400, f"The {name} parameter is required.", name, rule)
        return None
    return value


def _activity_id(request, rule: str) -> str:
    value = _param(request, "activityId", rule, required=True)
    if not is_iri(value):
        raise XAPIError(
            400,
            f"activityId must be an absolute IRI (with a scheme, e.g. http://...), not {value!r}.",
            "activityId",
            rule,
        )
    return value


def _agent(request, rule: str) -> tuple[dict, str]:
    """The `agent` parameter: an Agent object as JSON, and its canonical IFI."""
    raw = _param(request, "agent", rule, required=True)
    try:
        value = json_loads(raw, "agent")
    except StatementValidationError as error:
        raise XAPIError(
            400, f"The agent parameter is not valid JSON: {error}", "agent", error.rule
        ) from error
    if not isinstance(value, dict):
        raise XAPIError(
            400,
            "The agent parameter must be an Agent object in JSON, "
            'e.g. {"account": {"homePage": "...", "name": "..."}}.',
            "agent",
            rule,
        )
    try:
        validate_agent(value, "agent")
    except StatementValidationError as error:
        raise XAPIError(400, error.message, error.property or "agent", rule) from error
    return value, agent_ifi(value)


def _registration(request) -> uuid.UUID | None:
    value = _param(request, "registration", R_STATE, required=False)
    if value is None:
        return None
    if not is_uuid(value):
        raise XAPIError(
            400,
            f"registration must be a UUID like 3f2504e0-4f89-41d3-9a0c-0305e82c3301, "
            f"not {value!r}.",
            "registration",
            R_STATE,
        )
    return uuid.UUID(value)


def _since(request, rule: str):
    value = _param(request, "since", rule, required=False)
    if value is None:
        return None
    parsed = parse_timestamp(value)
    if parsed is None:
        raise XAPIError(
            400,
            f"since must be an ISO 8601 timestamp like 2026-11-27T13:00:00.000Z, not {value!r}.",
            "since",
            rule,
        )
    return parsed


def _own_agent_only(request, ifi: str) -> None:
    """Learners (session or launch token) may only touch their own agent's documents."""
    restriction = getattr(request.lrs_auth, "actor_restriction", None)
    if restriction and restriction != ifi:
        raise XAPIError(
            403,
            "These credentials may only read and write documents of their own learner.",
            "agent",
            "xAPI 1.0.3 Communication 4.2",
        )


# --- Shared document handling ---------------------------------------------------------------


def _etag_headers(response: HttpResponse, etag: str, updated=None) -> HttpResponse:
    response["ETag"] = quoted(etag)
    if updated is not None:
        response["Last-Modified"] = http_date(updated.timestamp())
    return response


def _document_response(document) -> HttpResponse:
    """One document: its bytes, its own Content-Type, ETag and Last-Modified (2.2.s6, 3.1.s4)."""
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    return _etag_headers(response, document.etag, document.updated)


def _ids_response(ids: list[str], last_modified) -> HttpResponse:
    """A JSON array of document ids, with Last-Modified of the newest one (2.2.s6.b2)."""
    body = json.dumps(ids).encode("utf-8")
    response = HttpResponse(body, content_type="application/json")
    return _etag_headers(response, etag_for(body), last_modified)


def _policy(request):
    auth = request.lrs_auth
    return auth.policy if auth is not None else None


def _write(request, ref) -> HttpResponse:
    """PUT, POST or DELETE of one document, with the preconditions of Communication 3.1."""
    xreq = request.xapi
    if _policy(request) is not None:
        _policy(request).check_document_write(ref=ref, method=xreq.method, content=xreq.body)
    try:
        if xreq.method == "DELETE":
            services.document_delete(ref=ref, if_match=xreq.header("if-match"))
            return HttpResponse(status=204)
        write = services.document_put if xreq.method == "PUT" else services.document_post
        document = write(
            ref=ref,
            content=xreq.body,
            content_type=xreq.content_type_header,
            if_match=xreq.header("if-match"),
            if_none_match=xreq.header("if-none-match"),
        )
    except DocumentError as error:
        raise XAPIError(error.status, error.message, error.property, error.rule) from error
    return _etag_headers(HttpResponse(status=204), document.etag)


def _read(ref, missing: str, id_param: str) -> HttpResponse:
    document = selectors.document_get(ref=ref)
    if document is None:
        raise XAPIError(404, missing, id_param, "xAPI 1.0.3 Communication 3.2.s2.b4")
    return _document_response(document)


# --- Endpoints ------------------------------------------------------------------------------


@xapi_endpoint(methods=DOCUMENT_METHODS, scope=Scope.STATE)
def state(request):
    """State Resource (xAPI 1.0.3 Communication 2.3) at /xapi/activities/state.

    With stateId: PUT stores, POST stores or merges JSON objects (2.2.s7), GET returns and DELETE
    removes one document. Without it: GET lists the state ids (since: exclusive), DELETE removes
    every state of the activity and agent [and registration]. Concurrency headers are optional
    here (3.1.s3); when given they are enforced with 412.
    """
    xreq = request.xapi
    _only(request, ("activityId", "agent", "registration", "stateId", "since"), R_STATE)
    activity_id = _activity_id(request, R_STATE)
    _, ifi = _agent(request, R_STATE)
    registration = _registration(request)
    since = _since(request, R_STATE)
    _own_agent_only(request, ifi)
    state_id = _param(request, "stateId", R_STATE, required=xreq.method in ("PUT", "POST"))
    if state_id is None:
        scope = StateScope(activity_id, ifi, registration)
        if xreq.method == "DELETE":
            if _policy(request) is not None:
                _policy(request).check_document_write(ref=scope, method="DELETE", content=b"")
            services.state_documents_delete(scope=scope)
            return HttpResponse(status=204)
        return _ids_response(*selectors.document_ids(scope=scope, since=since))
    ref = StateRef(activity_id, ifi, state_id, registration)
    if xreq.method == "GET":
        return _read(
            ref,
            f"There is no state {state_id!r} for this activity and agent"
            + (" in this registration." if registration else " without a registration."),
            "stateId",
        )
    return _write(request, ref)


@xapi_endpoint(methods=DOCUMENT_METHODS, scope=Scope.PROFILE)
def activity_profile(request):
    """Activity Profile Resource (xAPI 1.0.3 Communication 2.7) at /xapi/activities/profile.

    With profileId: PUT (If-Match or If-None-Match required, 3.1.s3.b1; 409 when the document
    exists and neither is sent, 3.1.s4.b13), POST (merge, 2.2.s7), GET, DELETE. Without it: GET
    lists the profile ids, since exclusive. Activity profiles are shared by every learner, so a
    learner's own credentials may read but not change them.
    """
    xreq = request.xapi
    _only(request, ("activityId", "profileId", "since"), R_ACTIVITY_PROFILE)
    activity_id = _activity_id(request, R_ACTIVITY_PROFILE)
    since = _since(request, R_ACTIVITY_PROFILE)
    profile_id = _param(request, "profileId", R_ACTIVITY_PROFILE, required=xreq.method != "GET")
    if profile_id is None:
        return _ids_response(
            *selectors.document_ids(scope=ActivityProfileScope(activity_id), since=since)
        )
    ref = ActivityProfileRef(activity_id, profile_id)
    if xreq.method == "GET":
        return _read(ref, f"There is no profile {profile_id!r} for this activity.", "profileId")
    if getattr(request.lrs_auth, "actor_restriction", None):
        raise XAPIError(
            403,
            "Activity profiles are shared by every learner: a learner's credentials may read "
            "them but not change them.",
            "profileId",
            "xAPI 1.0.3 Communication 4.2",
        )
    return _write(request, ref)


@xapi_endpoint(methods=DOCUMENT_METHODS, scope=Scope.PROFILE)
def agent_profile(request):
    """Agent Profile Resource (xAPI 1.0.3 Communication 2.6) at /xapi/agents/profile.

    With profileId: PUT (If-Match or If-None-Match required, 3.1.s3.b1; 409 when the document
    exists and neither is sent, 3.1.s4.b13), POST (merge, 2.2.s7), GET, DELETE. Without it: GET
    lists the profile ids, since exclusive. The agent is an Agent object, not a Group.
    """
    xreq = request.xapi
    _only(request, ("agent", "profileId", "since"), R_AGENT_PROFILE)
    _, ifi = _agent(request, R_AGENT_PROFILE)
    since = _since(request, R_AGENT_PROFILE)
    _own_agent_only(request, ifi)
    profile_id = _param(request, "profileId", R_AGENT_PROFILE, required=xreq.method != "GET")
    if profile_id is None:
        return _ids_response(*selectors.document_ids(scope=AgentProfileScope(ifi), since=since))
    ref = AgentProfileRef(ifi, profile_id)
    if xreq.method == "GET":
        if _policy(request) is not None:
            _policy(request).document_read(ref=ref)
        return _read(ref, f"There is no profile {profile_id!r} for this agent.", "profileId")
    return _write(request, ref)


def _json_response(value) -> HttpResponse:
    body = json.dumps(value, ensure_ascii=False).encode("utf-8")
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = quoted(etag_for(body))
    return response


@xapi_endpoint(methods=["GET", "HEAD"])
def activities(request):
    """Activities Resource (xAPI 1.0.3 Communication 2.5) at /xapi/activities.

    Returns the full Activity object: the definition merged from the statements stored so far,
    or just the id for an activity the LRS has not seen (2.5.s2.b1).
    """
    _only(request, ("activityId",), R_ACTIVITIES)
    activity_id = _activity_id(request, R_ACTIVITIES)
    return _json_response(selectors.activity_object(activity_id=activity_id))


IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")


@xapi_endpoint(methods=["GET", "HEAD"])
def agents(request):
    """Agents Resource (xAPI 1.0.3 Communication 2.4) at /xapi/agents.

    Returns a Person object (2.4.s5): every property an array. This LRS links no identities of
    one person to each other, so the Person holds what the requested Agent holds (2.4.s3.b3),
    and needs no extra permission (2.4.s3.b1).
    """
    _only(request, ("agent",), R_AGENTS)
    agent, _ = _agent(request, R_AGENTS)
    person: dict = {"objectType": "Person"}
    if "name" in agent:
        person["name"] = [agent["name"]]
    for key in IFI_KEYS:
        if key in agent:
            person[key] = [agent[key]]
    return _json_response(person)


@xapi_endpoint(methods=["GET", "HEAD"], auth_required=False, version_required=False)
def about(request):
    """About Resource (xAPI 1.0.3 Communication 2.8) at /xapi/about: no authentication needed
    (2.8.s5.b3) and no version header checked (2.8.s5.b4).
    """
    return _json_response(
        {
            "version": SUPPORTED_VERSIONS,
            "extensions": {
                f"{settings.SITE_BASE_URL}/xapi/extensions/lrs": {
                    "name": "Public School of Technology Learning Record Store",
                    "documents": ["state", "activity profile", "agent profile"],
                }
            },
        }
    )
