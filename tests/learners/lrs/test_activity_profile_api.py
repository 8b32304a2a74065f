from datetime import timedelta

import pytest
from django.utils import timezone

from learners.lrs.models import ActivityProfile
from tests.factories.learners import UserFactory
from tests.factories.lrs_documents import ActivityProfileFactory, lrs_basic_auth, xapi_call

pytestmark = pytest.mark.django_db

URL = "/xapi/activities/profile"
ACTIVITY = "http://www.example.com/activityId/hashset"


@pytest.fixture
def auth():
    return lrs_basic_auth(scopes=["profile"])


def _params(**extra):
    return {"activityId": ACTIVITY, "profileId": "settings", **extra}


def _error(response):
    return response.json()["error"]


def _create(client, auth, body=None):
    response = xapi_call(
        client,
        "PUT",
        URL,
        params=_params(),
        body=body or {"a": 1},
        headers={"If-None-Match": "*"},
        auth=auth,
    )
    assert response.status_code == 204
    return response["ETag"]


def test_activity_profile_put_if_none_match_creates_and_get_returns_it(client, auth):
    etag = _create(client, auth, {"colour": "blue"})
    got = xapi_call(client, "GET", URL, params=_params(), auth=auth)
    assert got.status_code == 200
    assert got.json() == {"colour": "blue"}
    assert got["ETag"] == etag
    assert "Last-Modified" in got


def test_activity_profile_put_without_etag_headers_on_new_document_is_400(client, auth):
    response = xapi_call(client, "PUT", URL, params=_params(), body={"a": 1}, auth=auth)
    assert response.status_code == 400
    assert _error(response)["rule"] == "xAPI 1.0.3 Communication 3.1.s3.b1"
    assert not ActivityProfile.objects.exists()


def test_activity_profile_put_without_etag_headers_on_existing_document_is_409(client, auth):
    etag = _create(client, auth, {"a": 1})
    response = xapi_call(client, "PUT", URL, params=_params(), body={"b": 2}, auth=auth)
    assert response.status_code == 409
    message = _error(response)["message"]
    assert "If-Match" in message and etag in message
    assert xapi_call(client, "GET", URL, params=_params(), auth=auth).json() == {"a": 1}


def test_activity_profile_put_if_match_replaces_and_stale_etag_is_412(client, auth):
    etag = _create(client, auth, {"a": 1})
    ok = xapi_call(
        client, "PUT", URL, params=_params(), body={"b": 2}, headers={"If-Match": etag}, auth=auth
    )
    assert ok.status_code == 204
    stale = xapi_call(
        client, "PUT", URL, params=_params(), body={"c": 3}, headers={"If-Match": etag}, auth=auth
    )
    assert stale.status_code == 412
    assert xapi_call(client, "GET", URL, params=_params(), auth=auth).json() == {"b": 2}


def test_activity_profile_post_creates_and_merges_without_headers(client, auth):
    xapi_call(client, "POST", URL, params=_params(), body={"car": "Honda"}, auth=auth)
    xapi_call(client, "POST", URL, params=_params(), body={"type": "Civic"}, auth=auth)
    got = xapi_call(client, "GET", URL, params=_params(), auth=auth)
    assert got.json() == {"car": "Honda", "type": "Civic"}


def test_activity_profile_post_non_json_onto_json_is_400(client, auth):
    _create(client, auth, {"a": 1})
    response = xapi_call(
        client, "POST", URL, params=_params(), body=b"abcdefg", content_type="not/json", auth=auth
    )
    assert response.status_code == 400
    assert xapi_call(client, "GET", URL, params=_params(), auth=auth).json() == {"a": 1}


def test_activity_profile_delete_with_if_match(client, auth):
    etag = _create(client, auth)
    wrong = xapi_call(
        client, "DELETE", URL, params=_params(), headers={"If-Match": '"00"'}, auth=auth
    )
    assert wrong.status_code == 412
    assert ActivityProfile.objects.exists()
    right = xapi_call(
        client, "DELETE", URL, params=_params(), headers={"If-Match": etag}, auth=auth
    )
    assert right.status_code == 204
    assert not ActivityProfile.objects.exists()


def test_activity_profile_delete_missing_document_is_204(client, auth):
    assert xapi_call(client, "DELETE", URL, params=_params(), auth=auth).status_code == 204


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_activity_profile_write_without_profile_id_is_400(client, auth, method):
    params = _params()
    del params["profileId"]
    response = xapi_call(
        client, method, URL, params=params, body={"a": 1}, headers={"If-None-Match": "*"}, auth=auth
    )
    assert response.status_code == 400
    assert _error(response)["property"] == "profileId"


@pytest.mark.parametrize("method", ["GET", "PUT", "POST", "DELETE"])
@pytest.mark.parametrize("value", [None, "1", "true", '{"key": "value"}'])
def test_activity_profile_bad_or_missing_activity_id_is_400(client, auth, method, value):
    params = _params()
    if value is None:
        del params["activityId"]
    else:
        params["activityId"] = value
    response = xapi_call(
        client, method, URL, params=params, body={"a": 1}, headers={"If-None-Match": "*"}, auth=auth
    )
    assert response.status_code == 400
    assert _error(response)["property"] == "activityId"


def test_activity_profile_ids_with_since(client, auth):
    now = timezone.now()
    ActivityProfileFactory(activity_id=ACTIVITY, profile_id="old", updated=now - timedelta(hours=1))
    ActivityProfileFactory(activity_id=ACTIVITY, profile_id="new", updated=now)
    ActivityProfileFactory(activity_id=ACTIVITY + "/x", profile_id="elsewhere", updated=now)
    params = {"activityId": ACTIVITY}
    assert xapi_call(client, "GET", URL, params=params, auth=auth).json() == ["old", "new"]
    since = (now - timedelta(minutes=1)).isoformat()
    assert xapi_call(client, "GET", URL, params={**params, "since": since}, auth=auth).json() == [
        "new"
    ]
    bad = xapi_call(client, "GET", URL, params={**params, "since": "true"}, auth=auth)
    assert bad.status_code == 400


def test_activity_profile_without_profile_scope_is_403(client):
    auth = lrs_basic_auth(scopes=["state"])
    assert xapi_call(client, "GET", URL, params=_params(), auth=auth).status_code == 403


def test_activity_profile_learner_may_read_but_not_write(client):
    ActivityProfileFactory(activity_id=ACTIVITY, profile_id="settings", content=b'{"a": 1}')
    client.force_login(UserFactory())
    assert xapi_call(client, "GET", URL, params=_params()).json() == {"a": 1}
    response = xapi_call(client, "POST", URL, params=_params(), body={"b": 2})
    assert response.status_code == 403
    assert bytes(ActivityProfile.objects.get().content) == b'{"a": 1}'


def test_activity_profile_post_invalid_json_to_new_document_is_400(client, auth):
    response = xapi_call(
        client,
        "POST",
        URL,
        params=_params(),
        body=b'{"a": 1}[',
        content_type="application/json",
        auth=auth,
    )
    assert response.status_code == 400
    assert "not valid JSON" in _error(response)["message"]
    assert not ActivityProfile.objects.exists()


def test_activity_profile_put_json_must_parse_but_may_be_any_json_value(client, auth):
    bad = xapi_call(
        client,
        "PUT",
        URL,
        params=_params(),
        body=b"{oops",
        content_type="application/json",
        headers={"If-None-Match": "*"},
        auth=auth,
    )
    assert bad.status_code == 400
    array = xapi_call(
        client,
        "PUT",
        URL,
        params=_params(),
        body=b"[1, 2]",
        content_type="application/json",
        headers={"If-None-Match": "*"},
        auth=auth,
    )
    assert array.status_code == 204


@pytest.mark.parametrize("extra", [{"agent": "1"}, {"stateId": "x"}, {"activityid": ACTIVITY}])
def test_activity_profile_unexpected_parameter_is_400(client, auth, extra):
    response = xapi_call(client, "POST", URL, params=_params(**extra), body={"a": 1}, auth=auth)
    assert response.status_code == 400
    assert _error(response)["property"] == next(iter(extra))
    assert not ActivityProfile.objects.exists()
