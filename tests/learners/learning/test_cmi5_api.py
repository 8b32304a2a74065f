"""The cmi5 automation API for a conformance harness, over HTTP with an LRS client's credentials."""

import base64
import json
import uuid

import pytest
from django.urls import reverse

from courses.models import Cmi5Package, CoursePage
from learners.learning.cmi5 import vocabulary as v
from learners.learning.cmi5.models import Cmi5Session, SessionState
from learners.lrs.models import LRSClient, Scope, Statement
from tests.factories.courses import catalogue
from tests.factories.learners import UserFactory
from tests.learners.learning.test_cmi5 import AU, _package

pytestmark = pytest.mark.django_db


def _credentials(*scopes) -> dict:
    client = LRSClient(name=f"harness {uuid.uuid4()}", scopes=list(scopes))
    client.set_secret("s3cret")
    client.save()
    token = base64.b64encode(f"{client.key}:s3cret".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


@pytest.fixture
def harness():
    catalogue()
    return _credentials(Scope.CMI5_AUTOMATION, Scope.STATEMENTS_READ)


def _import(client, harness, data: bytes):
    return client.post(
        reverse("learners:cmi5_api_courses"), data, "application/octet-stream", **harness
    )


def _actor():
    return {
        "objectType": "Agent",
        "account": {"homePage": "http://testserver", "name": str(uuid.uuid4())},
    }


def _launch(client, harness, course_id, **body):
    return client.post(
        reverse("learners:cmi5_api_launches", args=[course_id]),
        json.dumps(body),
        "application/json",
        **harness,
    )


def test_the_api_needs_credentials_with_the_automation_scope(client):
    catalogue()
    url = reverse("learners:cmi5_api_courses")
    data = _package("004-1-moveOn-Completed.cmi5.xml")
    assert client.post(url, data, "application/octet-stream").status_code == 401
    for scopes in ([Scope.ALL], [Scope.STATEMENTS_READ]):
        response = client.post(url, data, "application/octet-stream", **_credentials(*scopes))
        assert response.status_code == 403
    learner = UserFactory()
    client.force_login(learner)  # a signed-in session is not enough either
    assert client.post(url, data, "application/octet-stream").status_code == 403
    assert not Cmi5Package.objects.exists()


def test_an_invalid_package_is_a_distinguishable_error(client, harness):
    response = _import(client, harness, b"not a zip at all")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid-package"
    assert body["rule"].startswith("cmi5")
    assert not CoursePage.objects.filter(cmi5_package__isnull=False).exists()


def test_import_launch_waive_abandon_delete(client, harness):
    created = _import(client, harness, _package("004-1-moveOn-Completed.cmi5.xml"))
    assert created.status_code == 201, created.content
    course_id = created.json()["id"]
    assert created.json()["aus"][0]["index"] == 0
    actor = _actor()
    assert _launch(client, harness, course_id, au=5, actor=actor).status_code == 400
    assert (
        _launch(client, harness, course_id, au=0, actor={"mbox": "mailto:a@b.c"}).status_code == 400
    )
    launched = _launch(client, harness, course_id, au=0, actor=actor, launchMode="Browse")
    assert launched.status_code == 201, launched.content
    body = launched.json()
    au = AU(client, body["url"])
    assert au.actor["account"] == actor["account"]
    au.start()
    assert au.launch_data["launchMode"] == "Browse"
    # A relaunch in the same registration, then an unknown registration is refused.
    again = _launch(
        client, harness, course_id, au=0, actor=actor, registration=body["registration"]
    )
    assert again.status_code == 201
    assert again.json()["registration"] == body["registration"]
    wrong = _launch(client, harness, course_id, au=0, actor=actor, registration=str(uuid.uuid4()))
    assert wrong.status_code == 400
    # Abandon the open session by its id.
    session_id = again.json()["sessionId"]
    url = reverse("learners:cmi5_api_abandon", args=[session_id])
    assert client.post(url, **harness).status_code == 200
    assert Cmi5Session.objects.get(session_id=session_id).state == SessionState.ABANDONED
    assert client.post(url, **harness).status_code == 404
    # Waive the AU: waived, then the block and the course are satisfied.
    waive = client.post(
        reverse("learners:cmi5_api_waive", args=[course_id]),
        json.dumps({"registration": body["registration"], "au": 0, "reason": "Tested Out"}),
        "application/json",
        **harness,
    )
    assert waive.status_code == 200, waive.content
    assert len(waive.json()["statements"]) == 3
    # The same credential reads every statement (statements/read granted beside the scope).
    read = client.get(
        "/xapi/statements?verb=" + v.WAIVED, HTTP_X_EXPERIENCE_API_VERSION="1.0.3", **harness
    )
    assert read.status_code == 200
    assert len(read.json()["statements"]) == 1
    # Delete the course.
    delete_url = reverse("learners:cmi5_api_course", args=[course_id])
    assert client.delete(delete_url, **harness).status_code == 204
    assert not CoursePage.objects.filter(pk=course_id).exists()
    assert client.delete(delete_url, **harness).status_code == 404


def test_a_harness_actor_cannot_be_a_real_person(client, harness):
    course_id = _import(client, harness, _package("004-1-moveOn-Completed.cmi5.xml")).json()["id"]
    person = UserFactory()
    actor = {"account": {"homePage": "http://testserver", "name": str(person.learner_id)}}
    assert _launch(client, harness, course_id, au=0, actor=actor).status_code == 400
    assert not Statement.objects.filter(verb_id=v.LAUNCHED).exists()
