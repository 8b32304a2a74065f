"""Parameters and documents for the State, Agent Profile and Activity Profile resources."""

import json

from .xapi import new_id

STATE = "activities/state"
ACTIVITY_PROFILE = "activities/profile"
AGENT_PROFILE = "agents/profile"


def an_agent() -> dict:
    return {"objectType": "Agent", "mbox": f"mailto:{new_id()}@example.org"}


def state_params(**overrides) -> dict:
    found = {
        "activityId": f"http://www.example.com/activityId/{new_id()}",
        "agent": an_agent(),
        "stateId": new_id(),
    }
    found.update(overrides)
    return found


def activity_profile_params(**overrides) -> dict:
    found = {"activityId": f"http://www.example.com/activityId/{new_id()}", "profileId": new_id()}
    found.update(overrides)
    return found


def agent_profile_params(**overrides) -> dict:
    found = {"agent": an_agent(), "profileId": new_id()}
    found.update(overrides)
    return found


PARAMS = {
    STATE: state_params,
    ACTIVITY_PROFILE: activity_profile_params,
    AGENT_PROFILE: agent_profile_params,
}
ID_PARAM = {STATE: "stateId", ACTIVITY_PROFILE: "profileId", AGENT_PROFILE: "profileId"}


def document() -> dict:
    return {"color": "red", "number": 1, "nested": {"a": [1, 2]}, "id": new_id()}


def put_doc(xapi, resource, params, doc, *, content_type="application/json", headers=None):
    """PUT a document; profiles get If-None-Match: * unless headers are given."""
    if headers is None:
        headers = {} if resource == STATE else {"If-None-Match": "*"}
    body = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    return xapi.request("PUT", resource, params, body, content_type=content_type, headers=headers)


def post_doc(xapi, resource, params, doc, *, content_type="application/json", headers=None):
    body = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    return xapi.request(
        "POST", resource, params, body, content_type=content_type, headers=headers or {}
    )


def get_doc(xapi, resource, params, **kwargs):
    return xapi.request("GET", resource, params, **kwargs)


def delete_doc(xapi, resource, params, **kwargs):
    return xapi.request("DELETE", resource, params, **kwargs)
