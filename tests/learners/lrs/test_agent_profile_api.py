from datetime import timedelta

import pytest
from django.utils import timezone

from learners.lrs.identity import agent_ifi
from learners.lrs.models import AgentProfile
from tests.factories.learners import UserFactory
from tests.factories.lrs_documents import AgentProfileFactory, lrs_basic_auth, xapi_call

pytestmark = pytest.mark.django_db

URL = "/xapi/agents/profile"
AGENT = {
    "objectType": "Agent",
    "account": {"homePage": "http://www.example.com/agentId/1", "name": "Rick James"},
}


@pytest.fixture
def auth():
    return lrs_basic_auth(scopes=["profile"])


def _params(**extra):
    return {"agent": AGENT, "profileId": "preferences", **extra}


def _error(response):
    return response.json()["error"]


def test_agent_profile_create_read_update_delete(client, auth):
    created = xapi_call(
        client,
        "PUT",
        URL,
        params=_params(),
        body=b"<xml/>",
        content_type="application/xml",
        headers={"If-None-Match": "*"},
        auth=auth,
    )
    assert created.status_code == 204
    got = xapi_call(client, "GET", URL, params=_params(), auth=auth)
    assert got.content == b"<xml/>"
    assert got["Content-Type"] == "application/xml"
    updated = xapi_call(
        client,
        "PUT",
        URL,
        params=_params(),
        body=b"<xml a='1'/>",
        content_type="application/xml",
        headers={"If-Match": got["ETag"]},
        auth=auth,
    )
    assert updated.status_code == 204
    assert xapi_call(client, "DELETE", URL, params=_params(), auth=auth).status_code == 204
    assert xapi_call(client, "GET", URL, params=_params(), auth=auth).status_code == 404


def test_agent_profile_put_rules_400_then_409(client, auth):
    new = xapi_call(client, "PUT", URL, params=_params(), body={"a": 1}, auth=auth)
    assert new.status_code == 400
    xapi_call(client, "POST", URL, params=_params(), body={"a": 1}, auth=auth)
    existing = xapi_call(client, "PUT", URL, params=_params(), body={"b": 2}, auth=auth)
    assert existing.status_code == 409
    assert xapi_call(client, "GET", URL, params=_params(), auth=auth).json() == {"a": 1}


def test_agent_profile_is_keyed_by_ifi_not_by_name(client, auth):
    named = {**AGENT, "name": "Rick"}
    xapi_call(client, "POST", URL, params=_params(agent=named), body={"a": 1}, auth=auth)
    assert xapi_call(client, "GET", URL, params=_params(), auth=auth).json() == {"a": 1}
    assert AgentProfile.objects.get().agent_ifi == agent_ifi(AGENT)


@pytest.mark.parametrize(
    "value",
    [
        None,
        "1",
        "true",
        "not Agent",
        '{"not_actor": "yup"}',
        '{"objectType": "Group", "account": {"homePage": "http://x.y", "name": "g"}}',
        '{"mbox": "mailto:a@b.c", "openid": "http://x.y/me"}',
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_agent_profile_bad_or_missing_agent_is_400(client, auth, method, value):
    params = _params()
    if value is None:
        del params["agent"]
    else:
        params["agent"] = value
    response = xapi_call(client, method, URL, params=params, body={"a": 1}, auth=auth)
    assert response.status_code == 400
    assert _error(response)["property"].startswith("agent")
    assert not AgentProfile.objects.exists()


def test_agent_profile_broken_agent_encoding_is_400(client, auth):
    response = xapi_call(
        client,
        "POST",
        URL + '?profileId=p&agent={"objectType"%22"Agent"}',
        body={"a": 1},
        auth=auth,
    )
    assert response.status_code == 400


def test_agent_profile_ids_with_since(client, auth):
    now = timezone.now()
    ifi = agent_ifi(AGENT)
    AgentProfileFactory(agent_ifi=ifi, profile_id="old", updated=now - timedelta(hours=1))
    AgentProfileFactory(agent_ifi=ifi, profile_id="new", updated=now)
    AgentProfileFactory(agent_ifi="mbox:mailto:someone@example.com", profile_id="theirs")
    params = {"agent": AGENT}
    assert xapi_call(client, "GET", URL, params=params, auth=auth).json() == ["old", "new"]
    since = (now - timedelta(seconds=1)).isoformat()
    assert xapi_call(client, "GET", URL, params={**params, "since": since}, auth=auth).json() == [
        "new"
    ]
    for bad in ("1", "true", "not timestamp"):
        response = xapi_call(client, "GET", URL, params={**params, "since": bad}, auth=auth)
        assert response.status_code == 400


def test_agent_profile_learner_only_their_own(client, settings):
    user = UserFactory()
    client.force_login(user)
    own = {"account": {"homePage": settings.SITE_BASE_URL, "name": str(user.learner_id)}}
    assert (
        xapi_call(client, "POST", URL, params=_params(agent=own), body={"a": 1}).status_code == 204
    )
    assert xapi_call(client, "GET", URL, params={"agent": AGENT}).status_code == 403


def test_agent_profile_unexpected_parameter_is_400(client, auth):
    response = xapi_call(client, "GET", URL, params=_params(activityId="http://x.y"), auth=auth)
    assert response.status_code == 400
    assert response.json()["error"]["property"] == "activityId"
