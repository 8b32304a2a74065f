"""State Resource (xAPI 1.0.3 Communication 2.3), ids XAPI-00187..XAPI-00235 of ADL's suite
(H.Communication2.3-StateResource).
"""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest

from .docs import STATE, delete_doc, document, get_doc, post_doc, put_doc, state_params
from .xapi import new_id

pytestmark = pytest.mark.django_db


def test_state_endpoint_accepts_post(xapi):
    """XAPI-00230, XAPI-00189, XAPI-00231: POST to /activities/state answers 204."""
    assert post_doc(xapi, STATE, state_params(), document()).status_code == 204


def test_state_accepts_put(xapi):
    """XAPI-00190: PUT to the State Resource answers 204."""
    assert put_doc(xapi, STATE, state_params(), document()).status_code == 204


def test_state_get_returns_document(xapi):
    """XAPI-00188, XAPI-00192, XAPI-00217, XAPI-00233: GET with stateId returns the document
    that a POST of a new document stored as if it were a PUT.
    """
    params, doc = state_params(), document()
    assert post_doc(xapi, STATE, params, doc).status_code == 204
    response = get_doc(xapi, STATE, params)
    assert response.status_code == 200
    assert response.json() == doc


def test_state_delete_one(xapi):
    """XAPI-00187, XAPI-00191, XAPI-00216: DELETE with stateId answers 204 and deletes."""
    params = state_params()
    post_doc(xapi, STATE, params, document())
    assert delete_doc(xapi, STATE, params).status_code == 204
    assert get_doc(xapi, STATE, params).status_code == 404


@pytest.mark.parametrize("method", ["PUT", "POST", "GET", "DELETE"])
@pytest.mark.parametrize(
    "missing",
    [
        pytest.param("activityId", id="activityId-XAPI-00207..00210"),
        pytest.param("agent", id="agent-XAPI-00212..00215"),
    ],
)
def test_state_requires_activity_id_and_agent(xapi, method, missing):
    """XAPI-00207..XAPI-00210 (activityId), XAPI-00212..XAPI-00215 (agent): 400 when missing."""
    params = state_params()
    del params[missing]
    if method in ("PUT", "POST"):
        body = document()
        response = (put_doc if method == "PUT" else post_doc)(xapi, STATE, params, body)
    else:
        response = xapi.request(method, STATE, params)
    assert response.status_code == 400


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_state_write_requires_state_id(xapi, method):
    """XAPI-00206 (PUT), XAPI-00211 (POST): 400 without stateId."""
    params = state_params()
    del params["stateId"]
    response = (put_doc if method == "PUT" else post_doc)(xapi, STATE, params, document())
    assert response.status_code == 400


@pytest.mark.parametrize(
    "method,agent",
    [
        pytest.param("PUT", "not JSON", id="PUT-XAPI-00199"),
        pytest.param("POST", "true", id="POST-XAPI-00198"),
        pytest.param("GET", "true", id="GET-XAPI-00197"),
        pytest.param("DELETE", "true", id="DELETE-XAPI-00196"),
    ],
)
def test_state_rejects_agent_not_json_agent(xapi, method, agent):
    """XAPI-00196..XAPI-00199: an agent parameter that is not an Agent in JSON is a 400."""
    params = state_params(agent=agent)
    if method in ("PUT", "POST"):
        response = (put_doc if method == "PUT" else post_doc)(xapi, STATE, params, document())
    else:
        response = xapi.request(method, STATE, params)
    assert response.status_code == 400


@pytest.mark.parametrize(
    "method",
    [
        pytest.param("PUT", id="PUT-XAPI-00218-00203"),
        pytest.param("POST", id="POST-XAPI-00227-00202"),
        pytest.param("GET", id="GET-XAPI-00220-00201"),
        pytest.param("DELETE", id="DELETE-XAPI-00219-00200"),
    ],
)
def test_state_registration(xapi, method):
    """XAPI-00218/00227/00220/00219: registration is accepted on every method;
    XAPI-00203/00202/00201/00200: a registration that is not a UUID is a 400.
    """
    registration = new_id()
    params = state_params(registration=registration)
    doc = document()
    assert post_doc(xapi, STATE, params, doc).status_code == 204
    if method == "PUT":
        assert put_doc(xapi, STATE, params, document()).status_code == 204
    elif method == "POST":
        assert post_doc(xapi, STATE, params, {"more": 1}).status_code == 204
    elif method == "GET":
        response = get_doc(xapi, STATE, params)
        assert response.status_code == 200 and response.json() == doc
        other = get_doc(xapi, STATE, {**params, "registration": new_id()})
        assert other.status_code == 404
    else:
        assert delete_doc(xapi, STATE, params).status_code == 204
        assert get_doc(xapi, STATE, params).status_code == 404

    bad = {**params, "registration": "true"}
    if method in ("PUT", "POST"):
        response = (put_doc if method == "PUT" else post_doc)(xapi, STATE, bad, document())
    else:
        response = xapi.request(method, STATE, bad)
    assert response.status_code == 400


def test_state_get_ids_with_since(xapi):
    """XAPI-00193, XAPI-00221, XAPI-00195: GET without stateId returns the array of ids, only
    those stored after `since`.
    """
    first = state_params()
    shared = {"activityId": first["activityId"], "agent": first["agent"]}
    second = {**shared, "stateId": new_id()}
    since = (datetime.now(UTC) - timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    assert post_doc(xapi, STATE, first, document()).status_code == 204
    assert post_doc(xapi, STATE, second, document()).status_code == 204

    everything = get_doc(xapi, STATE, shared)
    assert everything.status_code == 200
    assert sorted(everything.json()) == sorted([first["stateId"], second["stateId"]])

    recent = get_doc(xapi, STATE, {**shared, "since": since})
    assert recent.status_code == 200
    assert sorted(recent.json()) == sorted([first["stateId"], second["stateId"]])

    future = (datetime.now(UTC) + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    assert get_doc(xapi, STATE, {**shared, "since": future}).json() == []


def test_state_since_not_timestamp_is_400(xapi):
    """XAPI-00204: since that is not a timestamp is a 400."""
    params = state_params(since="not a timestamp")
    del params["stateId"]
    assert get_doc(xapi, STATE, params).status_code == 400


def test_state_delete_all(xapi):
    """XAPI-00194: DELETE without stateId deletes every matching document (and only those)."""
    params = state_params()
    other = state_params()
    post_doc(xapi, STATE, params, document())
    post_doc(xapi, STATE, {**params, "stateId": new_id()}, document())
    post_doc(xapi, STATE, other, document())
    shared = {"activityId": params["activityId"], "agent": params["agent"]}
    assert delete_doc(xapi, STATE, shared).status_code == 204
    assert get_doc(xapi, STATE, shared).json() == []
    assert get_doc(xapi, STATE, other).status_code == 200


def test_state_merge_on_post(xapi):
    """XAPI-00234: POST of a JSON object onto a JSON document merges them (top level)."""
    params = state_params()
    assert post_doc(xapi, STATE, params, {"car": "Honda"}).status_code == 204
    assert post_doc(xapi, STATE, params, {"type": "Civic"}).status_code == 204
    assert get_doc(xapi, STATE, params).json() == {"car": "Honda", "type": "Civic"}


def test_state_post_non_json_onto_json_is_400(xapi):
    """XAPI-00232, XAPI-00229 (case 1): POST of a non-JSON document onto a JSON one is a 400
    and the stored document is unchanged.
    """
    params, doc = state_params(), document()
    post_doc(xapi, STATE, params, doc)
    response = post_doc(xapi, STATE, params, b"abcdefg", content_type="not/json")
    assert response.status_code == 400
    assert get_doc(xapi, STATE, params).json() == doc


def test_state_post_json_onto_non_json_is_400(xapi):
    """XAPI-00229 (case 2): POST of JSON onto a stored non-JSON document is a 400, unchanged."""
    params = state_params()
    raw = b"/ asdf / undefined"
    put = put_doc(xapi, STATE, params, raw, content_type="application/octet-stream")
    assert put.status_code == 204
    assert post_doc(xapi, STATE, params, document()).status_code == 400
    assert get_doc(xapi, STATE, params).content == raw


def test_state_post_unparseable_json_is_400(xapi):
    """XAPI-00229 (case 3): POST with Content-Type application/json that does not parse is a
    400, unchanged.
    """
    params, doc = state_params(), document()
    post_doc(xapi, STATE, params, doc)
    response = post_doc(xapi, STATE, params, b'{"a": 1}{', content_type="application/json")
    assert response.status_code == 400
    assert get_doc(xapi, STATE, params).json() == doc


def test_state_agent_parameter_broken_json_is_400(xapi):
    """XAPI-00235: an agent parameter whose JSON is broken is a 400."""
    params = state_params(registration=new_id())
    del params["agent"]
    broken = '{"objectType"%22"Agent","account":{"homePage":"http://www.example.com/a","name":"R"}}'
    path = f"/xapi/{STATE}?{urlencode(params)}&agent={broken}"
    response = xapi.client.post(
        path, b'{"a": 1}', content_type="application/json", headers=xapi.headers()
    )
    assert response.status_code == 400
