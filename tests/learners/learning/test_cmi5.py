"""The platform as a cmi5 LMS: a learner launches an AU, and the test plays the AU over HTTP
against the real LRS with the AU token the fetch URL gives it.
"""

import io
import json
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from courses.services.cmi5 import cmi5_package_import
from learners.learning.cmi5 import vocabulary as v
from learners.learning.cmi5.models import Cmi5Session, SessionState
from learners.learning.models import Certificate, Enrolment
from learners.lrs.models import Statement
from tests.factories.courses import catalogue
from tests.factories.learners import UserFactory

pytestmark = pytest.mark.django_db

RUNTIME = Path(__file__).resolve().parents[2] / "fixtures" / "cmi5" / "runtime_structures"
INDEX = b"<!doctype html><title>AU</title><script src='au.js'></script>"


def _package(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("cmi5.xml", (RUNTIME / name).read_bytes())
        archive.writestr("index.html", INDEX)
    return buffer.getvalue()


def _course(name: str):
    page = cmi5_package_import(data=_package(name), parent=catalogue())
    page.save_revision().publish()
    page.refresh_from_db()
    return page


class AU:
    """What a cmi5 AU does in the browser, done with Django's test client."""

    def __init__(self, client, launch_url: str):
        self.client = client
        query = parse_qs(urlsplit(launch_url).query)
        self.launch_url = launch_url
        self.endpoint = query["endpoint"][0]
        self.fetch_url = query["fetch"][0]
        self.actor = json.loads(query["actor"][0])
        self.registration = query["registration"][0]
        self.activity_id = query["activityId"][0]
        self.token = None
        self.launch_data = None

    def path(self, url: str) -> str:
        return urlsplit(url).path

    def fetch(self) -> dict:
        return self.client.post(self.path(self.fetch_url)).json()

    def headers(self) -> dict:
        return {
            "HTTP_AUTHORIZATION": f"Basic {self.token}",
            "HTTP_X_EXPERIENCE_API_VERSION": "1.0.3",
        }

    def start(self):
        self.token = self.fetch()["auth-token"]
        self.launch_data = self.state(v.LAUNCH_DATA_STATE_ID).json()
        self.preferences()
        return self

    def state(self, state_id: str, method: str = "get", body: bytes | None = None):
        params = {
            "activityId": self.activity_id,
            "agent": json.dumps(self.actor),
            "registration": self.registration,
            "stateId": state_id,
        }
        url = "/xapi/activities/state?" + "&".join(
            f"{k}={__import__('urllib.parse').parse.quote(val)}" for k, val in params.items()
        )
        if method == "get":
            return self.client.get(url, **self.headers())
        return getattr(self.client, method)(
            url, body or b"{}", content_type="application/json", **self.headers()
        )

    def preferences(self):
        from urllib.parse import quote

        url = (
            f"/xapi/agents/profile?agent={quote(json.dumps(self.actor))}"
            f"&profileId={v.LEARNER_PREFERENCES_PROFILE_ID}"
        )
        return self.client.get(url, **self.headers())

    def statement(self, verb: str, *, moveon=False, result=None, **changes) -> dict:
        template = self.launch_data["contextTemplate"]
        categories = [{"id": v.CATEGORY_CMI5}] + ([{"id": v.CATEGORY_MOVEON}] if moveon else [])
        statement = {
            "id": str(uuid.uuid4()),
            "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "actor": self.actor,
            "verb": {"id": verb, "display": {"en-US": verb.rsplit("/", 1)[-1]}},
            "object": {"objectType": "Activity", "id": self.activity_id},
            "context": {
                "registration": self.registration,
                "contextActivities": {
                    **template["contextActivities"],
                    "category": categories,
                },
                "extensions": template["extensions"],
            },
        }
        if result is not None:
            statement["result"] = result
        statement.update(changes)
        return statement

    def send(self, *statements):
        # As an AU does: the endpoint (given without a trailing slash) plus "/statements".
        return self.client.post(
            self.path(self.endpoint + "/statements"),
            json.dumps(list(statements)),
            content_type="application/json",
            **self.headers(),
        )


def _launch(client, unit, mode="Normal") -> AU:
    response = client.post(reverse("learners:cmi5_launch", args=[unit.pk]), {"mode": mode})
    assert response.status_code == 302, response.content
    return AU(client, response["Location"])


@pytest.fixture
def learner_client(client):
    user = UserFactory()
    client.force_login(user)
    client.user = user
    return client


def test_launch_gives_the_au_its_parameters_and_launch_data(learner_client):
    course = _course("004-3-moveOn-Passed.cmi5.xml")
    unit = course.cmi5_package.units.get()
    au = _launch(learner_client, unit)
    enrolment = Enrolment.objects.get(user=learner_client.user, course=course)
    assert au.registration == str(enrolment.registration)
    assert au.activity_id != unit.publisher_id
    assert au.actor == {
        "objectType": "Agent",
        "account": {"homePage": "http://testserver", "name": str(learner_client.user.learner_id)},
    }
    assert "mbox" not in json.dumps(au.actor)
    au.start()
    session = Cmi5Session.objects.get()
    assert au.launch_data["contextTemplate"]["extensions"][v.EXTENSION_SESSION] == str(
        session.session_id
    )
    assert au.launch_data["contextTemplate"]["contextActivities"]["grouping"] == [
        {"id": unit.publisher_id}
    ]
    assert au.launch_data["launchMode"] == "Normal"
    assert au.launch_data["moveOn"] == "Passed"
    assert au.launch_data["returnURL"].endswith(course.url)
    if unit.mastery_score is not None:
        assert isinstance(au.launch_data["masteryScore"], float)
    launched = Statement.objects.get(verb_id=v.LAUNCHED, activity_id=au.activity_id)
    assert launched.registration == enrolment.registration
    # A relaunch gives the same activity id in the same registration.
    again = _launch(learner_client, unit)
    assert again.activity_id == au.activity_id


def test_the_fetch_url_answers_once(learner_client):
    unit = _course("004-1-moveOn-Completed.cmi5.xml").cmi5_package.units.get()
    au = _launch(learner_client, unit)
    first = au.fetch()
    assert set(first) == {"auth-token"}
    assert au.fetch() == {"error-code": "1", "error-text": "This fetch URL has been used already."}
    assert learner_client.post("/cmi5/fetch/unknown-token/").json()["error-code"] == "2"
    assert learner_client.get(au.path(au.fetch_url)).status_code == 405


def test_a_learner_completes_an_au_and_the_course_is_satisfied(learner_client):
    course = _course("004-1-moveOn-Completed.cmi5.xml")
    unit = course.cmi5_package.units.get()
    au = _launch(learner_client, unit).start()
    assert au.send(au.statement(v.INITIALIZED)).status_code == 200
    completed = au.statement(
        v.COMPLETED, moveon=True, result={"completion": True, "duration": "PT10S"}
    )
    assert au.send(completed).status_code == 200
    satisfied = Statement.objects.filter(verb_id=v.SATISFIED)
    assert satisfied.count() == 2  # the block, then the course
    assert Certificate.objects.filter(user=learner_client.user, course=course).exists()
    assert au.send(au.statement(v.TERMINATED, result={"duration": "PT11S"})).status_code == 200
    assert Cmi5Session.objects.get().state == SessionState.TERMINATED
    dead = au.send(au.statement("http://adlnet.gov/expapi/verbs/experienced"))
    assert dead.status_code == 403
    assert "WWW-Authenticate" not in dead


def test_a_relaunch_abandons_the_open_session(learner_client):
    unit = _course("004-1-moveOn-Completed.cmi5.xml").cmi5_package.units.get()
    au = _launch(learner_client, unit).start()
    au.send(au.statement(v.INITIALIZED))
    _launch(learner_client, unit)
    assert Statement.objects.filter(verb_id=v.ABANDONED).count() == 1
    assert Cmi5Session.objects.filter(state=SessionState.ABANDONED).count() == 1
    assert au.send(au.statement("http://adlnet.gov/expapi/verbs/experienced")).status_code == 403


def _au_started(learner_client, fixture="001-essentials.cmi5.xml", mode="Normal") -> AU:
    unit = _course(fixture).cmi5_package.units.get()
    au = _launch(learner_client, unit, mode).start()
    assert au.send(au.statement(v.INITIALIZED)).status_code == 200
    return au


def _refused(au, statement) -> None:
    before = Statement.objects.count()
    response = au.send(statement)
    assert response.status_code == 403, response.content
    assert response.json()["error"]["rule"].startswith("cmi5")
    assert Statement.objects.count() == before


def test_statements_before_initialized_are_refused(learner_client):
    unit = _course("004-1-moveOn-Completed.cmi5.xml").cmi5_package.units.get()
    au = _launch(learner_client, unit)
    au.token = au.fetch()["auth-token"]
    au.launch_data = au.state(v.LAUNCH_DATA_STATE_ID).json()
    _refused(au, au.statement(v.INITIALIZED))  # learner preferences not read yet
    au.preferences()
    _refused(au, au.statement("http://adlnet.gov/expapi/verbs/experienced"))


@pytest.mark.parametrize(
    "breaks",
    [
        "void",
        "no id",
        "no timestamp",
        "non-UTC timestamp",
        "another actor",
        "another registration",
        "no session id",
        "no grouping",
        "another object",
        "repeated initialized",
        "launched",
        "completed without completion",
        "completed without moveon",
        "completed without duration",
        "passed without success",
        "passed below mastery",
        "allowed statement with cmi5 category",
    ],
)
def test_au_rules_refuse_the_statement_and_store_nothing(learner_client, breaks):
    au = _au_started(learner_client)
    good_passed = au.statement(
        v.PASSED, moveon=True, result={"success": True, "duration": "PT1S", "score": {"scaled": 1}}
    )
    statement = {
        "void": au.statement(
            v.VOIDED, object={"objectType": "StatementRef", "id": str(uuid.uuid4())}
        ),
        "no id": {k: val for k, val in good_passed.items() if k != "id"},
        "no timestamp": {k: val for k, val in good_passed.items() if k != "timestamp"},
        "non-UTC timestamp": {**good_passed, "timestamp": "2026-01-01T10:00:00+01:00"},
        "another actor": {**good_passed, "actor": {"mbox": "mailto:someone@example.gov.uk"}},
        "another registration": {
            **good_passed,
            "context": {**good_passed["context"], "registration": str(uuid.uuid4())},
        },
        "no session id": {
            **good_passed,
            "context": {**good_passed["context"], "extensions": {}},
        },
        "no grouping": {
            **good_passed,
            "context": {
                **good_passed["context"],
                "contextActivities": {"category": [{"id": v.CATEGORY_CMI5}]},
            },
        },
        "another object": {**good_passed, "object": {"id": "https://example.com/other"}},
        "repeated initialized": au.statement(v.INITIALIZED),
        "launched": au.statement(v.LAUNCHED),
        "completed without completion": au.statement(
            v.COMPLETED, moveon=True, result={"duration": "PT1S"}
        ),
        "completed without moveon": au.statement(
            v.COMPLETED, result={"completion": True, "duration": "PT1S"}
        ),
        "completed without duration": au.statement(
            v.COMPLETED, moveon=True, result={"completion": True}
        ),
        "passed without success": au.statement(
            v.PASSED, moveon=True, result={"duration": "PT1S", "score": {"scaled": 1}}
        ),
        "passed below mastery": au.statement(
            v.PASSED,
            moveon=True,
            result={"success": True, "duration": "PT1S", "score": {"scaled": 0.1}},
        ),
        "allowed statement with cmi5 category": au.statement(
            "http://adlnet.gov/expapi/verbs/experienced"
        ),
    }[breaks]
    _refused(au, statement)
    assert au.send(good_passed).status_code == 200  # the session is still usable


def test_a_second_passed_and_failed_after_passed_are_refused(learner_client):
    au = _au_started(learner_client)
    passed = au.statement(
        v.PASSED, moveon=True, result={"success": True, "duration": "PT1S", "score": {"scaled": 1}}
    )
    assert au.send(passed).status_code == 200
    failed = au.statement(
        v.FAILED, moveon=True, result={"success": False, "duration": "PT1S", "score": {"scaled": 0}}
    )
    _refused(au, failed)


def test_browse_mode_cannot_complete(learner_client):
    au = _au_started(learner_client, "004-1-moveOn-Completed.cmi5.xml", mode="Browse")
    _refused(
        au, au.statement(v.COMPLETED, moveon=True, result={"completion": True, "duration": "PT1S"})
    )


def test_allowed_statements_between_initialized_and_terminated_are_stored(learner_client):
    au = _au_started(learner_client)
    experienced = au.statement("http://adlnet.gov/expapi/verbs/experienced")
    experienced["context"]["contextActivities"].pop("category")
    assert au.send(experienced).status_code == 200


def test_launch_data_cannot_be_written_by_the_au(learner_client):
    au = _au_started(learner_client)
    assert au.state(v.LAUNCH_DATA_STATE_ID, "put", b'{"launchMode": "Normal"}').status_code == 403
    assert au.state("bookmark", "put", b'{"page": 3}').status_code == 204


def test_a_course_of_not_applicable_aus_is_satisfied_at_enrolment(learner_client):
    course = _course("004-5-moveOn-NotApplicable.cmi5.xml")
    unit = course.cmi5_package.units.get()
    _launch(learner_client, unit)
    verbs = list(Statement.objects.order_by("stored", "id").values_list("verb_id", flat=True))
    cmi5_launched = Statement.objects.filter(verb_id=v.LAUNCHED).order_by("stored", "id").last()
    assert verbs.index(v.SATISFIED) < verbs.index(v.LAUNCHED, verbs.index(v.SATISFIED))
    assert cmi5_launched.activity_id != course.cmi5_package.units.get().publisher_id
    assert Certificate.objects.filter(user=learner_client.user, course=course).exists()


def test_package_files_are_served_sandboxed_without_a_session(learner_client):
    client = learner_client
    unit = _course("004-1-moveOn-Completed.cmi5.xml").cmi5_package.units.get()
    au = _launch(learner_client, unit)
    client.logout()
    response = client.get(urlsplit(au.launch_url).path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == INDEX
    assert response["Content-Security-Policy"].startswith("sandbox allow-scripts")
    key = unit.package.content_key
    for bad in (
        f"/cmi5/content/{key}/../cmi5.xml",
        f"/cmi5/content/{key}/missing.html",
        "/cmi5/content/wrong-key/index.html",
    ):
        assert client.get(bad).status_code == 404


def test_launch_needs_sign_in_and_post(learner_client):
    unit = _course("004-1-moveOn-Completed.cmi5.xml").cmi5_package.units.get()
    url = reverse("learners:cmi5_launch", args=[unit.pk])
    assert learner_client.get(url).status_code == 405
    assert learner_client.post(url, {"mode": "Sideways"}).status_code == 400
    learner_client.logout()
    assert learner_client.post(url).status_code == 302
    assert Cmi5Session.objects.count() == 0


def test_the_course_page_lists_units_with_launch_buttons(learner_client):
    course = _course("004-1-moveOn-Completed.cmi5.xml")
    unit = course.cmi5_package.units.get()
    page = learner_client.get(course.url)
    assert page.status_code == 200
    assert unit.title in page.text
    assert reverse("learners:cmi5_launch", args=[unit.pk]) in page.text
    au = _launch(learner_client, unit).start()
    au.send(au.statement(v.INITIALIZED))
    au.send(au.statement(v.COMPLETED, moveon=True, result={"completion": True, "duration": "PT1S"}))
    done = learner_client.get(course.url)
    assert "You have completed this course" in done.text
    assert 'value="Review"' in done.text
    learner_client.logout()
    anonymous = learner_client.get(course.url)
    assert unit.title in anonymous.text
    assert reverse("learners:cmi5_launch", args=[unit.pk]) not in anonymous.text


AND_PASSED = """<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.gov.uk/cmi5/and-passed">
    <title><langstring lang="en">Completed and passed</langstring></title>
    <description><langstring lang="en">Two sessions</langstring></description>
  </course>
  <block id="https://example.gov.uk/cmi5/and-passed/block">
    <title><langstring lang="en">Block</langstring></title>
    <description><langstring lang="en">Block</langstring></description>
    <au id="https://example.gov.uk/cmi5/and-passed/au" moveOn="CompletedAndPassed">
      <title><langstring lang="en">AU</langstring></title>
      <description><langstring lang="en">AU</langstring></description>
      <url>index.html</url>
    </au>
  </block>
</courseStructure>
"""


def _course_from_xml(xml: str):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("cmi5.xml", xml)
        archive.writestr("index.html", INDEX)
    page = cmi5_package_import(data=buffer.getvalue(), parent=catalogue())
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _session(learner_client, unit) -> AU:
    au = _launch(learner_client, unit).start()
    assert au.send(au.statement(v.INITIALIZED)).status_code == 200
    return au


def _completed(au):
    return au.statement(v.COMPLETED, moveon=True, result={"completion": True, "duration": "PT1S"})


def _passed(au):
    return au.statement(v.PASSED, moveon=True, result={"success": True, "duration": "PT1S"})


def _terminated(au):
    return au.statement(v.TERMINATED, result={"duration": "PT2S"})


def test_completed_and_passed_across_two_sessions_satisfies_once(learner_client):
    course = _course_from_xml(AND_PASSED)
    unit = course.cmi5_package.units.get()
    first = _session(learner_client, unit)
    assert first.send(_completed(first), _terminated(first)).status_code == 200
    assert not Statement.objects.filter(verb_id=v.SATISFIED).exists()
    second = _session(learner_client, unit)
    # The registration has completed already: a second completed is refused (9.3.3).
    _refused(second, _completed(second))
    assert second.send(_passed(second)).status_code == 200
    assert Statement.objects.filter(verb_id=v.SATISFIED).count() == 2
    assert Certificate.objects.filter(user=learner_client.user, course=course).exists()


def test_satisfied_statements_name_lms_ids_and_cmi5_activity_types(learner_client):
    course = _course_from_xml(AND_PASSED)
    package = course.cmi5_package
    au = _session(learner_client, package.units.get())
    au.send(_completed(au), _passed(au))
    satisfied = [
        json.loads(s.payload)
        for s in Statement.objects.filter(verb_id=v.SATISFIED).order_by("stored", "id")
    ]
    block, whole = (s["object"] for s in satisfied)
    assert block["definition"]["type"] == v.ACTIVITY_TYPE_BLOCK
    assert whole["definition"]["type"] == v.ACTIVITY_TYPE_COURSE
    assert block["id"] != "https://example.gov.uk/cmi5/and-passed/block"
    assert whole["id"] != package.publisher_id
    assert block["id"].startswith("http://testserver/xapi/activities/cmi5-block/")
    assert satisfied[0]["context"]["contextActivities"]["grouping"] == [
        {"id": "https://example.gov.uk/cmi5/and-passed/block"}
    ]
    assert satisfied[1]["context"]["contextActivities"]["grouping"] == [
        {"id": package.publisher_id}
    ]
    # Another registration (another learner) gets other LMS ids for the same block and course.
    learner_client.force_login(UserFactory())
    other = _session(learner_client, package.units.get())
    other.send(_completed(other), _passed(other))
    ids = {
        json.loads(s.payload)["object"]["id"] for s in Statement.objects.filter(verb_id=v.SATISFIED)
    }
    assert len(ids) == 4


@pytest.mark.parametrize(
    "verb,result,moveon",
    [
        (v.TERMINATED, {"duration": "PT1S", "success": True}, False),
        (v.TERMINATED, {"duration": "PT1S", "completion": True}, False),
        (v.TERMINATED, {}, False),
        (v.TERMINATED, {"duration": "PT1S"}, True),
        (v.INITIALIZED, {"completion": True}, False),
        (v.COMPLETED, {"completion": True, "success": True, "duration": "PT1S"}, True),
        (v.PASSED, {"success": True, "completion": True, "duration": "PT1S"}, True),
    ],
)
def test_result_properties_only_where_cmi5_allows_them(learner_client, verb, result, moveon):
    unit = _course("004-1-moveOn-Completed.cmi5.xml").cmi5_package.units.get()
    au = _launch(learner_client, unit).start()
    if verb == v.INITIALIZED:
        _refused(au, au.statement(verb, result=result, moveon=moveon))
        return
    assert au.send(au.statement(v.INITIALIZED)).status_code == 200
    _refused(au, au.statement(verb, result=result, moveon=moveon))
    assert au.send(_terminated(au)).status_code == 200


def test_learner_preferences_must_be_a_valid_document(learner_client):
    au = _au_started(learner_client)
    url = (
        f"/xapi/agents/profile?agent={__import__('urllib.parse').parse.quote(json.dumps(au.actor))}"
        f"&profileId={v.LEARNER_PREFERENCES_PROFILE_ID}"
    )

    def put(document):
        return learner_client.put(
            url,
            json.dumps(document),
            content_type="application/json",
            HTTP_IF_NONE_MATCH="*",
            **au.headers(),
        )

    assert put({"languagePreference": "en-GB, fr", "audioPreference": "loud"}).status_code == 403
    assert put({"languagePreference": "not a tag!"}).status_code == 403
    assert put({"languagePreference": "en-GB,cy-GB", "audioPreference": "off"}).status_code == 204


def test_launched_and_waived_statements_follow_the_spec(learner_client):
    from learners.learning.cmi5.launch import cmi5_unit_waive

    course = _course("004-3-moveOn-Passed.cmi5.xml")
    unit = course.cmi5_package.units.get()
    au = _launch(learner_client, unit)
    launched = json.loads(
        Statement.objects.get(verb_id=v.LAUNCHED, activity_id=au.activity_id).payload
    )
    launch_url = launched["context"]["extensions"][v.EXTENSION_LAUNCH_URL]
    assert "fetch=" not in launch_url and "registration=" not in launch_url
    assert launch_url == au.launch_url.split("?", 1)[0]
    enrolment = Enrolment.objects.get(user=learner_client.user, course=course)
    cmi5_unit_waive(enrolment=enrolment, unit=unit, reason="Administrative")
    waived = json.loads(Statement.objects.get(verb_id=v.WAIVED).payload)
    assert waived["result"]["extensions"] == {v.EXTENSION_REASON: "Administrative"}
    categories = {c["id"] for c in waived["context"]["contextActivities"]["category"]}
    assert categories == {v.CATEGORY_CMI5, v.CATEGORY_MOVEON}
    assert waived["context"]["extensions"][v.EXTENSION_SESSION]
    for satisfied in Statement.objects.filter(verb_id=v.SATISFIED):
        assert json.loads(satisfied.payload)["context"]["extensions"][v.EXTENSION_SESSION]


def test_the_fetch_url_and_the_lrs_answer_an_opaque_origin(learner_client):
    unit = _course("004-1-moveOn-Completed.cmi5.xml").cmi5_package.units.get()
    au = _launch(learner_client, unit)
    learner_client.logout()  # sandboxed content sends no session cookie
    for url, method in ((au.path(au.fetch_url), "POST"), ("/xapi/statements", "POST")):
        preflight = learner_client.options(
            url,
            HTTP_ORIGIN="null",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
        )
        assert preflight.status_code in (200, 204)
        assert preflight["Access-Control-Allow-Origin"] == "null"
        assert method in preflight["Access-Control-Allow-Methods"]
    fetched = learner_client.post(au.path(au.fetch_url), HTTP_ORIGIN="null")
    assert fetched["Access-Control-Allow-Origin"] == "null"
    assert "auth-token" in fetched.json()
