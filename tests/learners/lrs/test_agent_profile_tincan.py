"""The real tincan RemoteLRS client against the live server: Agent Profile and Agents."""

import json

import pytest
from tincan import Agent, AgentAccount, AgentProfileDocument, RemoteLRS
from tincan.http_request import HTTPRequest

from learners.lrs.documents.refs import AgentProfileRef
from learners.lrs.documents.services import document_put
from learners.lrs.identity import agent_ifi
from tests.factories.lrs_documents import lrs_basic_auth

pytestmark = pytest.mark.django_db(transaction=True)

AGENT_JSON = {"account": {"homePage": "http://www.example.com", "name": "tincan-agent"}}


@pytest.fixture
def lrs(live_server):
    return RemoteLRS(
        endpoint=f"{live_server.url}/xapi/",
        version="1.0.3",
        auth=lrs_basic_auth(scopes=["profile"]),
    )


@pytest.fixture
def agent():
    return Agent(
        name="Tin Can",
        account=AgentAccount(home_page="http://www.example.com", name="tincan-agent"),
    )


def _profile(agent, content, etag=None):
    return AgentProfileDocument(
        id="preferences",
        agent=agent,
        content=json.dumps(content),
        content_type="application/json",
        etag=etag,
    )


def test_tincan_agent_profile_retrieve_update_ids_delete(lrs, agent):
    document_put(
        ref=AgentProfileRef(agent_ifi(AGENT_JSON), "preferences"),
        content=b'{"theme": "dark"}',
        content_type="application/json",
        if_none_match="*",
    )
    retrieved = lrs.retrieve_agent_profile(agent, "preferences")
    assert retrieved.success
    assert json.loads(bytes(retrieved.content.content)) == {"theme": "dark"}
    etag = retrieved.response.getheader("ETag")

    assert lrs.save_agent_profile(_profile(agent, {"a": 1})).response.status == 409
    assert lrs.save_agent_profile(_profile(agent, {"theme": "light"}, etag=etag)).success

    ids = lrs.retrieve_agent_profile_ids(agent, since="2000-01-01T00:00:00.000Z")
    assert ids.success and ids.content == ["preferences"]
    assert lrs.retrieve_agent_profile_ids(agent, since="2999-01-01T00:00:00Z").content == []

    assert lrs.delete_agent_profile(_profile(agent, {})).success
    assert lrs.retrieve_agent_profile(agent, "preferences").response.status == 404


def test_tincan_agents_resource_returns_a_person(lrs, agent):
    # tincan 1.0.0 has no retrieve_person; its own request object does the call.
    response = lrs._send_request(
        HTTPRequest(method="GET", resource="agents", query_params={"agent": agent.to_json("1.0.3")})
    )
    assert response.success
    person = json.loads(response.data)
    assert person == {
        "objectType": "Person",
        "name": ["Tin Can"],
        "account": [{"homePage": "http://www.example.com", "name": "tincan-agent"}],
    }
