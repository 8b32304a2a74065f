"""The real tincan RemoteLRS client against the live server: Activity Profile and Activities."""

import json

import pytest
from tincan import Activity, ActivityProfileDocument, RemoteLRS
from tincan.http_request import HTTPRequest

from learners.lrs.documents.refs import ActivityProfileRef
from learners.lrs.documents.services import activity_definitions_upsert, document_put
from tests.factories.lrs_documents import lrs_basic_auth

pytestmark = pytest.mark.django_db(transaction=True)

ACTIVITY = "http://www.example.com/activities/tincan-profile"


@pytest.fixture
def lrs(live_server):
    return RemoteLRS(
        endpoint=f"{live_server.url}/xapi/",
        version="1.0.3",
        auth=lrs_basic_auth(scopes=["profile", "statements/write"]),
    )


def _profile(profile_id, content, etag=None):
    return ActivityProfileDocument(
        id=profile_id,
        activity=Activity(id=ACTIVITY),
        content=json.dumps(content),
        content_type="application/json",
        etag=etag,
    )


def test_tincan_activity_profile_needs_etags_to_save(lrs):
    # tincan 1.0.0 sends no If-None-Match for a new profile: 400 (Communication 3.1.s3.b1).
    created = lrs.save_activity_profile(_profile("settings", {"a": 1}))
    assert created.response.status == 400

    document_put(
        ref=ActivityProfileRef(ACTIVITY, "settings"),
        content=b'{"a": 1}',
        content_type="application/json",
        if_none_match="*",
    )
    # Without If-Match on an existing profile: 409 (Communication 3.1.s4.b13).
    conflict = lrs.save_activity_profile(_profile("settings", {"a": 2}))
    assert conflict.response.status == 409

    retrieved = lrs.retrieve_activity_profile(Activity(id=ACTIVITY), "settings")
    assert retrieved.success
    assert json.loads(bytes(retrieved.content.content)) == {"a": 1}
    etag = retrieved.response.getheader("ETag")

    assert lrs.save_activity_profile(_profile("settings", {"a": 3}, etag=etag)).success
    again = lrs.retrieve_activity_profile(Activity(id=ACTIVITY), "settings")
    assert json.loads(bytes(again.content.content)) == {"a": 3}

    ids = lrs.retrieve_activity_profile_ids(Activity(id=ACTIVITY))
    assert ids.success and ids.content == ["settings"]

    stale = lrs.delete_activity_profile(_profile("settings", {}, etag=etag))
    assert stale.response.status == 412
    current = again.response.getheader("ETag")
    assert lrs.delete_activity_profile(_profile("settings", {}, etag=current)).success
    assert lrs.retrieve_activity_profile_ids(Activity(id=ACTIVITY)).content == []


def test_tincan_activities_resource_returns_the_definition(lrs):
    definition = {
        "name": {"en-GB": "Agile delivery"},
        "type": "http://adlnet.gov/expapi/activities/course",
    }
    activity_definitions_upsert(activities=[{"id": ACTIVITY, "definition": definition}])
    # tincan 1.0.0 has no retrieve_activity; its own request object does the call.
    response = lrs._send_request(
        HTTPRequest(method="GET", resource="activities", query_params={"activityId": ACTIVITY})
    )
    assert response.success
    activity = Activity.from_json(response.data)
    assert activity.id == ACTIVITY
    assert activity.definition.name["en-GB"] == "Agile delivery"
    assert activity.definition.type == "http://adlnet.gov/expapi/activities/course"
