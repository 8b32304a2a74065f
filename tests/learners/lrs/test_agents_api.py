import pytest

from tests.factories.lrs_documents import lrs_basic_auth, xapi_call

pytestmark = pytest.mark.django_db

URL = "/xapi/agents"


@pytest.fixture
def auth():
    return lrs_basic_auth(scopes=["statements/write"])


@pytest.mark.parametrize(
    ("agent", "ifi_key"),
    [
        ({"objectType": "Agent", "name": "xAPI mbox", "mbox": "mailto:xapi@adlnet.gov"}, "mbox"),
        ({"mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"}, "mbox_sha1sum"),
        ({"openid": "http://openid.example.org/12345"}, "openid"),
        ({"account": {"homePage": "http://www.example.com", "name": "xAPI account"}}, "account"),
    ],
)
def test_agents_returns_a_person_with_array_properties(client, auth, agent, ifi_key):
    response = xapi_call(client, "GET", URL, params={"agent": agent}, auth=auth)
    assert response.status_code == 200
    person = response.json()
    assert person["objectType"] == "Person"
    assert person[ifi_key] == [agent[ifi_key]]
    if "name" in agent:
        assert person["name"] == [agent["name"]]
    else:
        assert "name" not in person
    assert set(person) <= {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}


@pytest.mark.parametrize(
    "agent", [None, "not JSON", '{"key": "value"}', '{"objectType": "Group", "member": []}']
)
def test_agents_missing_or_bad_agent_is_400(client, auth, agent):
    params = {} if agent is None else {"agent": agent}
    response = xapi_call(client, "GET", URL, params=params, auth=auth)
    assert response.status_code == 400
    assert response.json()["error"]["property"].startswith("agent")


def test_agents_unexpected_parameter_is_400(client, auth):
    params = {"agent": {"mbox": "mailto:a@example.com"}, "activityId": "http://x.y"}
    response = xapi_call(client, "GET", URL, params=params, auth=auth)
    assert response.status_code == 400
    assert response.json()["error"]["property"] == "activityId"
