import pytest

from learners.lrs.documents.etags import etag_for
from learners.lrs.documents.services import activity_definitions_upsert
from tests.factories.lrs_documents import lrs_basic_auth, xapi_call

pytestmark = pytest.mark.django_db

URL = "/xapi/activities"
IRI = "http://www.example.com/verify/complete/34534"
DEFINITION = {
    "type": "http://adlnet.gov/expapi/activities/meeting",
    "name": {"en-GB": "example meeting", "en-US": "example meeting"},
    "extensions": {"http://example.com/profiles/meetings/extension/reporter": {"name": "Thomas"}},
}


@pytest.fixture
def auth():
    return lrs_basic_auth(scopes=["statements/write"])


def test_activities_returns_the_full_activity_object(client, auth):
    activity_definitions_upsert(
        activities=[{"objectType": "Activity", "id": IRI, "definition": DEFINITION}]
    )
    response = xapi_call(client, "GET", URL, params={"activityId": IRI}, auth=auth)
    assert response.status_code == 200
    assert response.json() == {"objectType": "Activity", "id": IRI, "definition": DEFINITION}
    assert response["ETag"] == f'"{etag_for(response.content)}"'


def test_activities_unknown_activity_still_returns_an_activity(client, auth):
    response = xapi_call(
        client, "GET", URL, params={"activityId": "http://unknown.example/a"}, auth=auth
    )
    assert response.status_code == 200
    assert response.json() == {"objectType": "Activity", "id": "http://unknown.example/a"}


@pytest.mark.parametrize(
    "params", [{}, {"activityId": "1"}, {"activityId": "true"}, {"activityId": '{"key": "value"}'}]
)
def test_activities_missing_or_bad_activity_id_is_400(client, auth, params):
    response = xapi_call(client, "GET", URL, params=params, auth=auth)
    assert response.status_code == 400
    assert response.json()["error"]["property"] == "activityId"


def test_activities_head_has_no_body(client, auth):
    response = xapi_call(client, "HEAD", URL, params={"activityId": IRI}, auth=auth)
    assert response.status_code == 200
    assert response.content == b""


def test_activities_needs_credentials_and_version(client, auth):
    assert xapi_call(client, "GET", URL, params={"activityId": IRI}).status_code == 401
    no_version = client.get(URL, {"activityId": IRI}, headers={"Authorization": auth})
    assert no_version.status_code == 400
    assert no_version["X-Experience-API-Version"].startswith("1.0.")


def test_activities_definition_comes_from_stored_statements(client, auth):
    from learners.lrs.services import statements_store

    statement = {
        "actor": {"objectType": "Agent", "name": "xAPI mbox", "mbox": "mailto:xapi@adlnet.gov"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-GB": "attended"}},
        "object": {"objectType": "Activity", "id": IRI, "definition": DEFINITION},
        "context": {
            "contextActivities": {
                "parent": [{"id": IRI + "/parent", "definition": {"name": {"en-GB": "Parent"}}}]
            }
        },
    }
    statements_store(statements=[statement])

    response = xapi_call(client, "GET", URL, params={"activityId": IRI}, auth=auth)
    assert response.json() == statement["object"]
    parent = xapi_call(client, "GET", URL, params={"activityId": IRI + "/parent"}, auth=auth)
    assert parent.json()["definition"] == {"name": {"en-GB": "Parent"}}


def test_activities_unexpected_parameter_is_400(client, auth):
    params = {"activityId": IRI, "agent": '{"mbox": "mailto:a@example.com"}'}
    assert xapi_call(client, "GET", URL, params=params, auth=auth).status_code == 400


@pytest.mark.parametrize("method", ["DELETE", "POST", "PUT"])
@pytest.mark.parametrize("path", ["/xapi/activities", "/xapi/agents"])
def test_activities_and_agents_other_methods_are_405_even_without_credentials(client, method, path):
    response = xapi_call(client, method, path, params={"activityId": IRI})
    assert response.status_code == 405
