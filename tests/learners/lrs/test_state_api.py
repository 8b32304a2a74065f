import json
import uuid
from datetime import timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from learners.lrs.documents.etags import etag_for
from learners.lrs.models import StateDocument
from tests.factories.learners import UserFactory
from tests.factories.lrs_documents import StateDocumentFactory, lrs_basic_auth, xapi_call

pytestmark = pytest.mark.django_db

URL = "/xapi/activities/state"
ACTIVITY = "http://www.example.com/activityId/hashset"
AGENT = {
    "objectType": "Agent",
    "account": {"homePage": "http://www.example.com/agentId/1", "name": "Rick James"},
}


@pytest.fixture
def auth():
    return lrs_basic_auth(scopes=["state"])


def _params(**extra):
    return {"activityId": ACTIVITY, "agent": AGENT, "stateId": "bookmark", **extra}


def _error(response):
    return response.json()["error"]


def test_state_put_then_get_returns_bytes_type_etag_and_last_modified(client, auth):
    png = b"\x89PNG"
    put = xapi_call(
        client, "PUT", URL, params=_params(), body=png, content_type="image/png", auth=auth
    )
    assert put.status_code == 204
    assert put["ETag"] == f'"{etag_for(png)}"'

    got = xapi_call(client, "GET", URL, params=_params(), auth=auth)
    assert got.status_code == 200
    assert got.content == png
    assert got["Content-Type"] == "image/png"
    assert got["ETag"] == f'"{etag_for(png)}"'
    modified = parsedate_to_datetime(got["Last-Modified"])
    assert abs(modified - StateDocument.objects.get().updated) < timedelta(seconds=1)
    assert got["X-Experience-API-Version"] == "1.0.3"


def test_state_post_json_then_get_returns_same_object(client, auth):
    document = {"name": "a", "location": {"name": "b"}}
    assert (
        xapi_call(client, "POST", URL, params=_params(), body=document, auth=auth).status_code
        == 204
    )
    got = xapi_call(client, "GET", URL, params=_params(), auth=auth)
    assert got.json() == document
    assert got["Content-Type"] == "application/json"


def test_state_get_missing_document_is_404_json(client, auth):
    response = xapi_call(client, "GET", URL, params=_params(stateId="nothing"), auth=auth)
    assert response.status_code == 404
    assert "nothing" in _error(response)["message"]
    assert _error(response)["property"] == "stateId"


@pytest.mark.parametrize("method", ["GET", "PUT", "POST", "DELETE"])
@pytest.mark.parametrize("missing", ["activityId", "agent"])
def test_state_missing_required_parameter_is_400(client, auth, method, missing):
    params = _params()
    del params[missing]
    response = xapi_call(client, method, URL, params=params, body={"a": 1}, auth=auth)
    assert response.status_code == 400
    assert _error(response)["property"] == missing
    assert not StateDocument.objects.exists()


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_state_write_without_state_id_is_400(client, auth, method):
    params = _params()
    del params["stateId"]
    response = xapi_call(client, method, URL, params=params, body={"a": 1}, auth=auth)
    assert response.status_code == 400
    assert _error(response)["property"] == "stateId"


@pytest.mark.parametrize("value", ["1", "true", "undefined", '{"key": "value"}', "not an iri"])
def test_state_activity_id_not_an_iri_is_400(client, auth, value):
    response = xapi_call(
        client, "PUT", URL, params=_params(activityId=value), body={"a": 1}, auth=auth
    )
    assert response.status_code == 400
    assert "activityId" in _error(response)["message"]


@pytest.mark.parametrize(
    "value",
    [
        "not JSON",
        "1",
        "true",
        '{"key": "value"}',
        '{"mbox": "a@b.c"}',
        '{"objectType": "Group", "mbox": "mailto:a@b.c"}',
    ],
)
def test_state_bad_agent_is_400_and_stores_nothing(client, auth, value):
    response = xapi_call(client, "PUT", URL, params=_params(agent=value), body={"a": 1}, auth=auth)
    assert response.status_code == 400
    assert _error(response)["property"].startswith("agent")
    assert not StateDocument.objects.exists()


@pytest.mark.parametrize("value", ["1", "true", "not UUID", "3f2504e04f8941d39a0c0305e82c3301"])
def test_state_bad_registration_is_400(client, auth, value):
    response = xapi_call(client, "GET", URL, params=_params(registration=value), auth=auth)
    assert response.status_code == 400
    assert _error(response)["property"] == "registration"


def test_state_registration_round_trip_and_isolation(client, auth):
    registration = str(uuid.uuid4())
    xapi_call(
        client, "PUT", URL, params=_params(registration=registration), body={"r": 1}, auth=auth
    )
    assert xapi_call(
        client, "GET", URL, params=_params(registration=registration), auth=auth
    ).json() == {"r": 1}
    assert xapi_call(client, "GET", URL, params=_params(), auth=auth).status_code == 404


@pytest.mark.parametrize("value", ["not a timestamp", "true", "1"])
def test_state_bad_since_is_400_even_with_state_id(client, auth, value):
    response = xapi_call(client, "GET", URL, params=_params(since=value), auth=auth)
    assert response.status_code == 400
    assert _error(response)["property"] == "since"


def test_state_get_ids_filters_by_since(client, auth):
    now = timezone.now()
    StateDocumentFactory(
        activity_id=ACTIVITY,
        agent_ifi="account:http://www.example.com/agentId/1 Rick James",
        state_id="old",
        updated=now - timedelta(minutes=5),
    )
    StateDocumentFactory(
        activity_id=ACTIVITY,
        agent_ifi="account:http://www.example.com/agentId/1 Rick James",
        state_id="new",
        updated=now,
    )
    params = _params()
    del params["stateId"]

    everything = xapi_call(client, "GET", URL, params=params, auth=auth)
    assert everything.status_code == 200
    assert everything.json() == ["old", "new"]
    assert parsedate_to_datetime(everything["Last-Modified"]) == now.replace(microsecond=0)
    assert everything["ETag"] == f'"{etag_for(everything.content)}"'

    since = (now - timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    assert xapi_call(client, "GET", URL, params={**params, "since": since}, auth=auth).json() == [
        "new"
    ]


def test_state_delete_one_document(client, auth):
    xapi_call(client, "PUT", URL, params=_params(), body={"a": 1}, auth=auth)
    assert xapi_call(client, "DELETE", URL, params=_params(), auth=auth).status_code == 204
    assert not StateDocument.objects.exists()
    # Deleting what is not there is not an error.
    assert xapi_call(client, "DELETE", URL, params=_params(), auth=auth).status_code == 204


def test_state_delete_all_of_the_context(client, auth):
    registration = str(uuid.uuid4())
    for state_id in ("a", "b"):
        xapi_call(client, "PUT", URL, params=_params(stateId=state_id), body={"a": 1}, auth=auth)
    xapi_call(
        client,
        "PUT",
        URL,
        params=_params(stateId="r", registration=registration),
        body={},
        auth=auth,
    )
    xapi_call(
        client, "PUT", URL, params=_params(activityId=ACTIVITY + "/other"), body={}, auth=auth
    )
    params = _params()
    del params["stateId"]

    only_registration = xapi_call(
        client, "DELETE", URL, params={**params, "registration": registration}, auth=auth
    )
    assert only_registration.status_code == 204
    assert sorted(StateDocument.objects.values_list("state_id", flat=True)) == [
        "a",
        "b",
        "bookmark",
    ]

    assert xapi_call(client, "DELETE", URL, params=params, auth=auth).status_code == 204
    assert xapi_call(client, "GET", URL, params=params, auth=auth).json() == []
    assert StateDocument.objects.get().activity_id == ACTIVITY + "/other"


def test_state_put_if_match_mismatch_is_412_and_document_unchanged(client, auth):
    xapi_call(client, "PUT", URL, params=_params(), body={"a": 1}, auth=auth)
    response = xapi_call(
        client,
        "PUT",
        URL,
        params=_params(),
        body={"b": 2},
        headers={"If-Match": '"1111111111111111111111111111111111111111"'},
        auth=auth,
    )
    assert response.status_code == 412
    assert _error(response)["rule"] == "xAPI 1.0.3 Communication 3.1.s4.b5"
    assert xapi_call(client, "GET", URL, params=_params(), auth=auth).json() == {"a": 1}


def test_state_put_if_match_with_current_etag_replaces(client, auth):
    xapi_call(client, "PUT", URL, params=_params(), body={"a": 1}, auth=auth)
    etag = xapi_call(client, "GET", URL, params=_params(), auth=auth)["ETag"]
    response = xapi_call(
        client, "PUT", URL, params=_params(), body={"b": 2}, headers={"If-Match": etag}, auth=auth
    )
    assert response.status_code == 204
    assert xapi_call(client, "GET", URL, params=_params(), auth=auth).json() == {"b": 2}


def test_state_put_if_none_match_star_on_existing_is_412(client, auth):
    xapi_call(client, "PUT", URL, params=_params(), body={"a": 1}, auth=auth)
    response = xapi_call(
        client,
        "PUT",
        URL,
        params=_params(),
        body={"b": 2},
        headers={"If-None-Match": "*"},
        auth=auth,
    )
    assert response.status_code == 412


def test_state_put_without_headers_on_existing_is_allowed(client, auth):
    # Communication 3.1.s3: the State Resource permits writes without concurrency headers.
    xapi_call(client, "PUT", URL, params=_params(), body={"a": 1}, auth=auth)
    assert (
        xapi_call(client, "PUT", URL, params=_params(), body={"b": 2}, auth=auth).status_code == 204
    )


def test_state_post_merges_top_level_properties(client, auth):
    xapi_call(
        client,
        "POST",
        URL,
        params=_params(),
        body={"car": {"make": "Ford"}, "driver": "Dale"},
        auth=auth,
    )
    xapi_call(
        client,
        "POST",
        URL,
        params=_params(),
        body={"car": {"model": "Ram"}, "series": 1},
        auth=auth,
    )
    got = xapi_call(client, "GET", URL, params=_params(), auth=auth)
    assert got.json() == {"car": {"model": "Ram"}, "driver": "Dale", "series": 1}
    assert got["ETag"] == f'"{etag_for(got.content)}"'


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"abc", "text/plain"), (b"[1, 2]", "application/json"), (b'{"a": 1}{', "application/json")],
)
def test_state_post_merge_of_non_object_is_400_and_unchanged(client, auth, body, content_type):
    xapi_call(client, "POST", URL, params=_params(), body={"a": 1}, auth=auth)
    response = xapi_call(
        client, "POST", URL, params=_params(), body=body, content_type=content_type, auth=auth
    )
    assert response.status_code == 400
    assert _error(response)["rule"] == "xAPI 1.0.3 Communication 2.2.s8.b1"
    assert xapi_call(client, "GET", URL, params=_params(), auth=auth).json() == {"a": 1}


def test_state_post_json_onto_binary_document_is_400(client, auth):
    xapi_call(
        client,
        "PUT",
        URL,
        params=_params(),
        body=b"/ asdf",
        content_type="application/octet-stream",
        auth=auth,
    )
    response = xapi_call(client, "POST", URL, params=_params(), body={"a": 1}, auth=auth)
    assert response.status_code == 400
    assert "stored document" in _error(response)["message"]


def test_state_post_any_content_when_new(client, auth):
    for state_id, body in (("one", b"1"), ("true", b"true")):
        response = xapi_call(
            client,
            "POST",
            URL,
            params=_params(stateId=state_id),
            body=body,
            content_type="text/plain",
            auth=auth,
        )
        assert response.status_code == 204
    assert xapi_call(client, "GET", URL, params=_params(stateId="one"), auth=auth).content == b"1"


def test_state_head_has_headers_but_no_body(client, auth):
    xapi_call(client, "PUT", URL, params=_params(), body={"a": 1}, auth=auth)
    response = xapi_call(client, "HEAD", URL, params=_params(), auth=auth)
    assert response.status_code == 200
    assert response.content == b""
    assert response["ETag"].startswith('"')


def test_state_without_state_scope_is_403(client):
    auth = lrs_basic_auth(scopes=["statements/write"])
    response = xapi_call(client, "PUT", URL, params=_params(), body={"a": 1}, auth=auth)
    assert response.status_code == 403
    assert not StateDocument.objects.exists()


def test_state_without_credentials_is_401(client):
    assert xapi_call(client, "GET", URL, params=_params()).status_code == 401


def test_state_learner_session_only_touches_own_agent(client, settings):
    user = UserFactory()
    client.force_login(user)
    own = {
        "objectType": "Agent",
        "account": {"homePage": settings.SITE_BASE_URL, "name": str(user.learner_id)},
    }

    assert (
        xapi_call(client, "PUT", URL, params=_params(agent=own), body={"p": 1}).status_code == 204
    )
    assert xapi_call(client, "GET", URL, params=_params(agent=own)).json() == {"p": 1}

    other = xapi_call(client, "PUT", URL, params=_params(), body={"p": 1})
    assert other.status_code == 403
    assert StateDocument.objects.count() == 1


def test_state_alternate_request_syntax_put_get_and_if_match(client, auth):
    form = {
        "activityId": ACTIVITY,
        "agent": json.dumps(AGENT),
        "stateId": "alt",
        "content": json.dumps({"via": "form"}),
        "Content-Type": "application/json",
        "X-Experience-API-Version": "1.0.3",
        "Authorization": auth,
    }
    put = client.post(
        f"{URL}?method=PUT", data=urlencode(form), content_type="application/x-www-form-urlencoded"
    )
    assert put.status_code == 204
    got = xapi_call(client, "GET", URL, params=_params(stateId="alt"), auth=auth)
    assert got.json() == {"via": "form"}
    assert got["Content-Type"] == "application/json"

    stale = {**form, "content": "{}", "If-Match": '"' + "0" * 40 + '"'}
    response = client.post(
        f"{URL}?method=PUT", data=urlencode(stale), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 412
    lookup = {k: v for k, v in form.items() if k not in ("content", "Content-Type")}
    read = client.post(
        f"{URL}?method=GET",
        data=urlencode(lookup),
        content_type="application/x-www-form-urlencoded",
    )
    assert read.status_code == 200
    assert read.json() == {"via": "form"}


def test_state_post_form_encoded_document_without_method_is_stored(client, auth):
    response = xapi_call(
        client,
        "POST",
        URL,
        params=_params(stateId="form"),
        body=b"1",
        content_type="application/x-www-form-urlencoded",
        auth=auth,
    )
    assert response.status_code == 204
    stored = StateDocument.objects.get()
    assert bytes(stored.content) == b"1"
    assert stored.content_type == "application/x-www-form-urlencoded"


def test_state_unexpected_parameter_is_400(client, auth):
    response = xapi_call(client, "PUT", URL, params=_params(profileId="p"), body={}, auth=auth)
    assert response.status_code == 400
    assert _error(response)["property"] == "profileId"
    assert "stateId" in _error(response)["message"]
    assert not StateDocument.objects.exists()
