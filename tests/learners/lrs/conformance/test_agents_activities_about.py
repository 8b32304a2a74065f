"""Agents (Communication 2.4, XAPI-00236..00249), Activities (2.5, XAPI-00250..00254) and About
(2.8, XAPI-00315..00321) resources of ADL's suite.
"""

import hashlib

import pytest

from .xapi import activity, mbox_agent, new_id, statement

pytestmark = pytest.mark.django_db

VERSIONS = {"0.9", "0.95", "1.0.0", "1.0.1", "1.0.2", "1.0.3"}


def _person_for(xapi, actor):
    xapi.store(statement(actor=actor))
    response = xapi.request("GET", "agents", {"agent": actor})
    assert response.status_code == 200, response.content
    return response.json()


def test_agents_endpoint_returns_person(xapi):
    """XAPI-00245, XAPI-00236, XAPI-00248, XAPI-00237: GET /agents?agent= answers 200 with a
    Person object whose objectType is "Person".
    """
    person = _person_for(xapi, {**mbox_agent(), "name": "Ada"})
    assert person["objectType"] == "Person"


def test_agents_unknown_agent_still_returns_person(xapi):
    """XAPI-00236, XAPI-00247: an agent the LRS never saw still gives a Person of that agent."""
    actor = mbox_agent()
    response = xapi.request("GET", "agents", {"agent": actor})
    assert response.status_code == 200
    assert response.json()["objectType"] == "Person"
    assert response.json()["mbox"] == [actor["mbox"]]


def test_agents_person_name_and_mbox_are_arrays(xapi):
    """XAPI-00238 (name: array of strings), XAPI-00239 and XAPI-00244 (mbox: array of
    mailto: IRIs).
    """
    actor = {**mbox_agent(), "name": "Ada"}
    person = _person_for(xapi, actor)
    assert person["name"] == ["Ada"]
    assert person["mbox"] == [actor["mbox"]]
    assert all(m.startswith("mailto:") for m in person["mbox"])


@pytest.mark.parametrize(
    "key,actor",
    [
        pytest.param(
            "mbox_sha1sum",
            {"mbox_sha1sum": hashlib.sha1(new_id().encode()).hexdigest()},  # noqa: S324
            id="mbox_sha1sum-XAPI-00240",
        ),
        pytest.param(
            "openid", {"openid": f"http://openid.example.org/{new_id()}"}, id="openid-XAPI-00241"
        ),
        pytest.param(
            "account",
            {"account": {"homePage": "http://www.example.com", "name": new_id()}},
            id="account-XAPI-00242",
        ),
    ],
)
def test_agents_person_ifi_arrays(xapi, key, actor):
    """XAPI-00240..XAPI-00242: each IFI of the Person is an array (strings, or account objects)."""
    person = _person_for(xapi, {"objectType": "Agent", **actor})
    assert person[key] == [actor[key]]


def test_agents_without_agent_is_400(xapi):
    """XAPI-00243: GET /agents without agent is a 400."""
    assert xapi.request("GET", "agents").status_code == 400


def test_agents_agent_without_ifi_is_400(xapi):
    """XAPI-00249: an agent that is not a valid Agent (no identifier) is a 400."""
    response = xapi.request("GET", "agents", {"agent": {"objectType": "Agent", "name": "x"}})
    assert response.status_code == 400


def test_activities_endpoint_accepts_get(xapi):
    """XAPI-00252, XAPI-00253: GET /activities?activityId= of a known activity answers 200."""
    data = statement()
    xapi.store(data)
    response = xapi.request("GET", "activities", {"activityId": data["object"]["id"]})
    assert response.status_code == 200


def test_activities_returns_complete_activity(xapi):
    """XAPI-00251: GET /activities returns the complete Activity object."""
    data = statement(object=activity(full=True))
    xapi.store(data)
    found = xapi.request("GET", "activities", {"activityId": data["object"]["id"]}).json()
    assert found["id"] == data["object"]["id"]
    assert found.get("objectType", "Activity") == "Activity"
    assert found["definition"] == data["object"]["definition"]


def test_activities_without_activity_id_is_400(xapi):
    """XAPI-00250: GET /activities without activityId is a 400."""
    assert xapi.request("GET", "activities").status_code == 400


def test_activities_merges_definitions(xapi):
    """XAPI-00254: the Activity holds what every statement said about it (both languages)."""
    first = statement(object=activity(full=True))
    second = statement(object=activity(full=True))
    second["object"]["id"] = first["object"]["id"]
    second["object"]["definition"]["name"] = {"fr-FR": "réunion"}
    xapi.store(first, second)
    found = xapi.request("GET", "activities", {"activityId": first["object"]["id"]}).json()
    assert found["definition"]["name"]["en-US"] == "example meeting"
    assert found["definition"]["name"]["fr-FR"] == "réunion"


def test_about_resource(xapi):
    """XAPI-00315, XAPI-00319, XAPI-00318, XAPI-00317, XAPI-00316: GET /about (no credential,
    no version header) answers 200 with version, an array of known version strings with 1.0.3.
    """
    response = xapi.request("GET", "about", version=None, auth=False)
    assert response.status_code == 200
    versions = response.json()["version"]
    assert isinstance(versions, list)
    assert "1.0.3" in versions
    assert set(versions) <= VERSIONS


@pytest.mark.parametrize(
    "resource,params",
    [
        ("statements", {}),
        ("activities", {"activityId": "http://www.example.com/a"}),
        ("activities/profile", {"activityId": "http://www.example.com/a", "profileId": "p"}),
        (
            "activities/state",
            {"activityId": "http://www.example.com/a", "agent": mbox_agent(), "stateId": "s"},
        ),
        ("agents", {"agent": mbox_agent()}),
        ("agents/profile", {"agent": mbox_agent(), "profileId": "p"}),
    ],
)
def test_version_header_required_except_about(xapi, resource, params):
    """XAPI-00321 (and XAPI-00331): without X-Experience-API-Version every resource but About
    answers 400, and that response names a 1.0.x version.
    """
    response = xapi.request("GET", resource, params, version=None)
    assert response.status_code == 400
    assert response["X-Experience-API-Version"].startswith("1.0.")
