"""Document resources in general (Communication 2.2), the Agent Profile (2.6, XAPI-00255..00284)
and Activity Profile (2.7, XAPI-00285..00314) resources of ADL's suite.
"""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest

from .docs import (
    ACTIVITY_PROFILE,
    AGENT_PROFILE,
    ID_PARAM,
    PARAMS,
    STATE,
    agent_profile_params,
    delete_doc,
    document,
    get_doc,
    post_doc,
    put_doc,
)

pytestmark = pytest.mark.django_db

ALL = [STATE, ACTIVITY_PROFILE, AGENT_PROFILE]
PROFILES = [ACTIVITY_PROFILE, AGENT_PROFILE]


def _minute_ago():
    return (datetime.now(UTC) - timedelta(minutes=1)).isoformat().replace("+00:00", "Z")


# --- Communication 2.2 (all three document resources) -------------------------------------


@pytest.mark.parametrize("resource", ALL)
def test_documents_endpoint_accepts_post(xapi, resource):
    """Communication 2.2.s3 (XAPI-00230, XAPI-00311, XAPI-00282, XAPI-00272, XAPI-00283,
    XAPI-00286, XAPI-00292, XAPI-00312): each document resource accepts POST with 204.
    """
    assert post_doc(xapi, resource, PARAMS[resource](), document()).status_code == 204


@pytest.mark.parametrize("resource", ALL)
@pytest.mark.parametrize("body", [b"1", b"true"], ids=["one", "true"])
def test_documents_post_not_rejected_for_content(xapi, resource, body):
    """Communication 2.2.s4.b2: a POST is not rejected because of what the document holds."""
    response = post_doc(xapi, resource, PARAMS[resource](), body, content_type="text/plain")
    assert response.status_code == 204


@pytest.mark.parametrize("resource", ALL)
def test_documents_post_new_stores_it(xapi, resource):
    """Communication 2.2.s7 (XAPI-00233, XAPI-00280, XAPI-00310): a POST of a new document is
    stored as if PUT.
    """
    params, doc = PARAMS[resource](), document()
    assert post_doc(xapi, resource, params, doc).status_code == 204
    response = get_doc(xapi, resource, params)
    assert response.status_code == 200
    assert response.json() == doc


@pytest.mark.parametrize("resource", ALL)
def test_documents_post_merges_json(xapi, resource):
    """Communication 2.2.s7.b1-b3 (XAPI-00234, XAPI-00279, XAPI-00308): POST merges JSON
    objects; a key in both takes the new value; the merge is one level deep only.
    """
    params = PARAMS[resource]()
    assert post_doc(xapi, resource, params, {"car": "Honda"}).status_code == 204
    assert post_doc(xapi, resource, params, {"type": "Civic"}).status_code == 204
    assert get_doc(xapi, resource, params).json() == {"car": "Honda", "type": "Civic"}
    assert post_doc(xapi, resource, params, {"car": "MKZ"}).status_code == 204
    assert get_doc(xapi, resource, params).json() == {"car": "MKZ", "type": "Civic"}

    deep = PARAMS[resource]()
    first = {"car": {"make": "Ford", "model": "Escape"}, "driver": "Dale", "s": {"n": {"x": 1}}}
    second = {"car": {"make": "Dodge"}, "driver": "Jeff", "s": {"n": {"y": 2}}}
    post_doc(xapi, resource, deep, first)
    post_doc(xapi, resource, deep, second)
    assert get_doc(xapi, resource, deep).json() == second


@pytest.mark.parametrize(
    "resource",
    [
        pytest.param(STATE, id="state-XAPI-00232"),
        pytest.param(ACTIVITY_PROFILE, id="activity-profile-XAPI-00309"),
        pytest.param(AGENT_PROFILE, id="agent-profile-XAPI-00278"),
    ],
)
def test_documents_post_non_json_onto_json_is_400(xapi, resource):
    """Communication 2.2.s8.b1: POST of a non-JSON document onto a JSON one is a 400, unchanged."""
    params, doc = PARAMS[resource](), document()
    post_doc(xapi, resource, params, doc)
    response = post_doc(xapi, resource, params, b"abcdefg", content_type="application/octet-stream")
    assert response.status_code == 400
    assert get_doc(xapi, resource, params).json() == doc


@pytest.mark.parametrize(
    "resource",
    [
        pytest.param(ACTIVITY_PROFILE, id="activity-profile-XAPI-00313"),
        pytest.param(AGENT_PROFILE, id="agent-profile-XAPI-00278"),
    ],
)
def test_documents_post_json_onto_non_json_is_400(xapi, resource):
    """XAPI-00313 / XAPI-00278 (case 2): POST of JSON onto a stored non-JSON document is a
    400 and the stored bytes are unchanged.
    """
    params = PARAMS[resource]()
    raw = b"/ asdf / undefined"
    put = put_doc(xapi, resource, params, raw, content_type="application/octet-stream")
    assert put.status_code == 204
    assert post_doc(xapi, resource, params, document()).status_code == 400
    assert get_doc(xapi, resource, params).content == raw


@pytest.mark.parametrize(
    "resource",
    [
        pytest.param(ACTIVITY_PROFILE, id="activity-profile-XAPI-00313-00314"),
        pytest.param(AGENT_PROFILE, id="agent-profile-XAPI-00278-00281"),
    ],
)
def test_documents_post_unparseable_json_is_400(xapi, resource):
    """XAPI-00313/00314, XAPI-00278/00281 (case 3): Content-Type application/json whose body
    does not parse is a 400, unchanged.
    """
    params, doc = PARAMS[resource](), document()
    post_doc(xapi, resource, params, doc)
    response = post_doc(xapi, resource, params, b'{"a": 1}[', content_type="application/json")
    assert response.status_code == 400
    assert get_doc(xapi, resource, params).json() == doc


def test_agent_profile_agent_parameter_broken_json_is_400(xapi):
    """XAPI-00284: an agent parameter whose JSON is broken is a 400."""
    broken = '{"objectType"%22"Agent","account":{"homePage":"http://www.example.com/a","name":"R"}}'
    path = f"/xapi/{AGENT_PROFILE}?{urlencode({'profileId': 'p'})}&agent={broken}"
    response = xapi.client.post(
        path, b'{"a": 1}', content_type="application/json", headers=xapi.headers()
    )
    assert response.status_code == 400


# --- Profiles: PUT, GET, DELETE ----------------------------------------------------------


@pytest.mark.parametrize(
    "resource",
    [
        pytest.param(ACTIVITY_PROFILE, id="activity-profile-XAPI-00287-00293"),
        pytest.param(AGENT_PROFILE, id="agent-profile-XAPI-00273"),
    ],
)
def test_profiles_put_with_if_none_match_is_204(xapi, resource):
    """PUT of a new profile with If-None-Match: * answers 204 and stores it."""
    params, doc = PARAMS[resource](), document()
    assert put_doc(xapi, resource, params, doc).status_code == 204
    assert get_doc(xapi, resource, params).json() == doc


@pytest.mark.parametrize(
    "resource",
    [
        pytest.param(ACTIVITY_PROFILE, id="activity-profile-XAPI-00287"),
        pytest.param(AGENT_PROFILE, id="agent-profile-XAPI-00273"),
    ],
)
def test_profiles_put_without_etag_header_is_400(xapi, resource):
    """XAPI-00273 / XAPI-00287 ("fails without ETag header"): a PUT of a profile with neither
    If-Match nor If-None-Match is answered 400 when no document exists.
    """
    response = put_doc(xapi, resource, PARAMS[resource](), document(), headers={})
    assert response.status_code == 400
    assert response.content


@pytest.mark.parametrize(
    "resource",
    [
        pytest.param(ACTIVITY_PROFILE, id="activity-profile-XAPI-00288-00290"),
        pytest.param(AGENT_PROFILE, id="agent-profile-XAPI-00259-00269-00274"),
    ],
)
def test_profiles_get_by_id(xapi, resource):
    """GET with profileId returns that document with 200."""
    params, doc = PARAMS[resource](), document()
    post_doc(xapi, resource, params, doc)
    response = get_doc(xapi, resource, params)
    assert response.status_code == 200
    assert response.json() == doc


@pytest.mark.parametrize(
    "resource",
    [
        pytest.param(ACTIVITY_PROFILE, id="activity-profile-XAPI-00285-00291"),
        pytest.param(AGENT_PROFILE, id="agent-profile-XAPI-00271"),
    ],
)
def test_profiles_delete(xapi, resource):
    """DELETE answers 204 and removes the profile; deleting what is not there is also 204."""
    params = PARAMS[resource]()
    assert delete_doc(xapi, resource, params).status_code == 204
    post_doc(xapi, resource, params, document())
    assert delete_doc(xapi, resource, params).status_code == 204
    assert get_doc(xapi, resource, params).status_code == 404


@pytest.mark.parametrize(
    "resource,missing,method",
    [
        pytest.param(AGENT_PROFILE, "agent", "PUT", id="XAPI-00264"),
        pytest.param(AGENT_PROFILE, "agent", "POST", id="XAPI-00263"),
        pytest.param(AGENT_PROFILE, "agent", "DELETE", id="XAPI-00262"),
        pytest.param(AGENT_PROFILE, "agent", "GET", id="XAPI-00261"),
        pytest.param(AGENT_PROFILE, "profileId", "PUT", id="XAPI-00267"),
        pytest.param(AGENT_PROFILE, "profileId", "POST", id="XAPI-00266"),
        pytest.param(AGENT_PROFILE, "profileId", "DELETE", id="XAPI-00265"),
        pytest.param(ACTIVITY_PROFILE, "activityId", "PUT", id="XAPI-00299"),
        pytest.param(ACTIVITY_PROFILE, "activityId", "POST", id="XAPI-00298"),
        pytest.param(ACTIVITY_PROFILE, "activityId", "DELETE", id="XAPI-00297"),
        pytest.param(ACTIVITY_PROFILE, "activityId", "GET", id="XAPI-00296"),
        pytest.param(ACTIVITY_PROFILE, "profileId", "PUT", id="XAPI-00302"),
        pytest.param(ACTIVITY_PROFILE, "profileId", "POST", id="XAPI-00301"),
        pytest.param(ACTIVITY_PROFILE, "profileId", "DELETE", id="XAPI-00300"),
    ],
)
def test_profiles_required_parameters(xapi, resource, missing, method):
    """A profile request missing a required parameter is a 400."""
    params = PARAMS[resource]()
    del params[missing]
    if method == "PUT":
        response = put_doc(xapi, resource, params, document())
    elif method == "POST":
        response = post_doc(xapi, resource, params, document())
    else:
        response = xapi.request(method, resource, params)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "method",
    [
        pytest.param("PUT", id="XAPI-00257"),
        pytest.param("POST", id="XAPI-00256"),
        pytest.param("DELETE", id="XAPI-00255"),
        pytest.param("GET", id="XAPI-00258"),
    ],
)
def test_agent_profile_agent_not_an_agent_is_400(xapi, method):
    """An agent parameter that is not an Agent object is a 400."""
    params = agent_profile_params(agent="true")
    if method == "PUT":
        response = put_doc(xapi, AGENT_PROFILE, params, document())
    elif method == "POST":
        response = post_doc(xapi, AGENT_PROFILE, params, document())
    else:
        response = xapi.request(method, AGENT_PROFILE, params)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "resource",
    [
        pytest.param(ACTIVITY_PROFILE, id="activity-profile-XAPI-00289-00303-00294"),
        pytest.param(AGENT_PROFILE, id="agent-profile-XAPI-00270-00268-00275"),
    ],
)
def test_profiles_get_ids_with_since(xapi, resource):
    """GET without profileId returns the array of profile ids; with since, those stored after."""
    params = PARAMS[resource]()
    post_doc(xapi, resource, params, document())
    listing = {k: v for k, v in params.items() if k != ID_PARAM[resource]}
    response = get_doc(xapi, resource, listing)
    assert response.status_code == 200
    assert response.json() == [params[ID_PARAM[resource]]]
    recent = get_doc(xapi, resource, {**listing, "since": _minute_ago()})
    assert recent.status_code == 200
    assert params[ID_PARAM[resource]] in recent.json()
    later = (datetime.now(UTC) + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    assert get_doc(xapi, resource, {**listing, "since": later}).json() == []


@pytest.mark.parametrize(
    "resource",
    [
        pytest.param(ACTIVITY_PROFILE, id="activity-profile-XAPI-00295"),
        pytest.param(AGENT_PROFILE, id="agent-profile-XAPI-00260"),
    ],
)
def test_profiles_since_not_timestamp_is_400(xapi, resource):
    """since that is not a timestamp is a 400."""
    params = PARAMS[resource]()
    del params[ID_PARAM[resource]]
    assert get_doc(xapi, resource, {**params, "since": "true"}).status_code == 400
