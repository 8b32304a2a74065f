"""Never a 500 from input (issue 14): each class of input that once failed inside the LRS is
refused with a JSON 400 naming the property and rule, or stored so that it reads back as strict
JSON. Runs on SQLite by default and on PostgreSQL with DATABASE_URL (see the postgres variant).
"""

import base64
import json
import secrets

import pytest

from learners.lrs.models import StateDocument, Statement, StatementRelation
from tests.factories.lrs import LRSClientFactory, account_agent, activity, statement, xapi_headers
from tests.learners.lrs.conformance.xapi import BOUNDARY, multipart, sha2

pytestmark = pytest.mark.django_db

SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"


@pytest.fixture
def lrs(db):
    return LRSClientFactory()


def _post(client, lrs, body, content_type="application/json"):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post("/xapi/statements", data, content_type=content_type, **xapi_headers(lrs))


def _refused(response, *, prop_part: str | None = None):
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["rule"]
    assert error["message"]
    if prop_part is not None:
        assert prop_part in (error["property"] or ""), error
    assert not Statement.objects.exists()
    assert not StatementRelation.objects.exists()
    return error


def _strict_json(text: str):
    def reject(name):
        raise AssertionError(f"{name} in a response")

    return json.loads(text, parse_constant=reject)


@pytest.mark.parametrize(
    "literal", ["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1" + "0" * 5000]
)
def test_numbers_that_are_not_doubles_are_refused(client, lrs, literal):
    body = json.dumps(statement(result={"extensions": {"http://example.com/x": 0}}))
    body = body.replace('"http://example.com/x": 0', f'"http://example.com/x": {literal}')
    error = _refused(_post(client, lrs, body), prop_part="content")
    assert "RFC 8259" in error["rule"]


@pytest.mark.parametrize(
    "literal",
    [
        "123456789012345678901234567890",
        "18446744073709551616",
        "-9223372036854775809",
        "9223372036854775807",
        "0.1",
        "1.5e-7",
        "1.7976931348623157e308",
        "-0.0",
    ],
)
def test_numbers_are_read_back_exactly_and_resent_as_the_same_statement(client, lrs, literal):
    # Integers beyond 64 bits take the exact reader and writer; the rest the fast ones.
    data = statement(result={"extensions": {"http://example.com/x": 0}})
    placeholder = '"http://example.com/x": 0'
    body = json.dumps(data).replace(placeholder, placeholder.replace("0", literal))
    assert _post(client, lrs, body).status_code == 200
    assert _post(client, lrs, body).status_code == 200  # a re-send: same hash, no 409
    got = client.get("/xapi/statements", {"statementId": data["id"]}, **xapi_headers(lrs))
    value = _strict_json(got.content)["result"]["extensions"]["http://example.com/x"]
    assert value == json.loads(literal) and type(value) is type(json.loads(literal))
    assert Statement.objects.count() == 1


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "a\\ud83d"])
def test_lone_surrogate_is_refused(client, lrs, escape):
    body = json.dumps(statement(result={"response": "PLACEHOLDER"}))
    _refused(_post(client, lrs, body.replace("PLACEHOLDER", escape)))


def test_paired_surrogates_are_stored_and_read_back(client, lrs):
    data = statement(result={"response": "\U0001f600"})
    response = _post(client, lrs, json.dumps(data))  # ensure_ascii: a \ud83d\ude00 pair
    assert response.status_code == 200, response.content
    got = client.get("/xapi/statements", {"statementId": data["id"]}, **xapi_headers(lrs)).json()
    assert got["result"]["response"] == "\U0001f600"


@pytest.mark.parametrize(
    "where", ["actor.account.name", "result.response", "verb.display", "extension key"]
)
def test_nul_in_a_statement_is_refused(client, lrs, where):
    data = statement(actor=account_agent("a\u0000b"))
    if where == "result.response":
        data = statement(result={"response": "a\u0000b"})
    elif where == "verb.display":
        data["verb"]["display"] = {"en-GB": "\u0000"}
    elif where == "extension key":
        data["result"] = {"extensions": {"http://example.com/\u0000": 1}}
    error = _refused(_post(client, lrs, data))
    assert "U+0000" in error["rule"]


def test_deep_nesting_is_refused_not_a_crash(client, lrs):
    deep = "[" * 100_000 + "]" * 100_000
    body = json.dumps(statement(result={"extensions": {"http://example.com/x": 0}}))
    body = body.replace('"http://example.com/x": 0', f'"http://example.com/x": {deep}')
    error = _refused(_post(client, lrs, body))
    assert "nests" in error["rule"]


def test_nesting_just_over_the_limit_is_refused(client, lrs):
    value = 1
    for _ in range(70):
        value = {"k": value}
    _refused(_post(client, lrs, statement(result={"extensions": {"http://example.com/x": value}})))


@pytest.mark.parametrize(
    "value",
    [{"type": "choice"}, ["choice"], 1, True],
)
def test_interaction_type_of_the_wrong_type_is_400(client, lrs, value):
    data = statement(object=activity("it", interactionType=value))
    _refused(_post(client, lrs, data), prop_part="interactionType")


@pytest.mark.parametrize("duration", ["P4W1D", "P1.5Y2M", "P1DT1.5H2M", "P1W2W"])
def test_durations_iso_8601_forbids_are_refused(client, lrs, duration):
    _refused(_post(client, lrs, statement(result={"duration": duration})), prop_part="duration")


@pytest.mark.parametrize("duration", ["P4W", "P1Y2.5M", "PT0.5S", "P1DT2H30M0.25S"])
def test_durations_iso_8601_allows_are_stored(client, lrs, duration):
    assert _post(client, lrs, statement(result={"duration": duration})).status_code == 200


@pytest.mark.parametrize("timestamp", ["9999-12-31T23:59:59-05:00", "0001-01-01T00:00:00+01:00"])
def test_timestamps_outside_the_utc_range_are_refused(client, lrs, timestamp):
    _refused(_post(client, lrs, statement(timestamp=timestamp)), prop_part="timestamp")
    response = client.get("/xapi/statements", {"since": timestamp}, **xapi_headers(lrs))
    assert response.status_code == 400
    assert response.json()["error"]["property"] == "since"


@pytest.mark.parametrize("timestamp", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"])
def test_timestamps_at_the_utc_edges_are_stored_and_read_back(client, lrs, timestamp):
    data = statement(timestamp=timestamp)
    assert _post(client, lrs, data).status_code == 200
    response = client.get("/xapi/statements", {"statementId": data["id"]}, **xapi_headers(lrs))
    assert response.status_code == 200
    assert response.json()["timestamp"] == timestamp
    listing = client.get("/xapi/statements", **xapi_headers(lrs))
    assert listing.status_code == 200
    _strict_json(listing.content.decode())


@pytest.mark.parametrize("value", [1, "x", {"a": 1}, [1], [None], True])
def test_attachments_of_the_wrong_type_are_400(client, lrs, value):
    _refused(_post(client, lrs, statement(attachments=value)), prop_part="attachments")


def _jws(header: dict, payload: dict) -> bytes:
    def part(value):
        raw = json.dumps(value).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part(header)}.{part(payload)}.c2lnbmF0dXJl".encode()


@pytest.mark.parametrize("alg", [{"x": 1}, ["RS256"], 256, None])
def test_signed_statement_with_a_non_string_alg_is_400(client, lrs, alg):
    data = statement()
    token = _jws({"alg": alg}, data)
    meta = {
        "usageType": SIGNATURE,
        "display": {"en-US": "Signature"},
        "contentType": "application/octet-stream",
        "length": len(token),
        "sha2": sha2(token),
    }
    part = (
        token,
        {
            "Content-Type": "application/octet-stream",
            "Content-Transfer-Encoding": "binary",
            "X-Experience-API-Hash": sha2(token),
        },
    )
    body = multipart({**data, "attachments": [meta]}, [part])
    response = _post(client, lrs, body, f"multipart/mixed; boundary={BOUNDARY}")
    error = _refused(response)
    assert "Data 2.6" in error["rule"]


def test_long_iris_and_account_names_are_stored_and_queryable(client, lrs):
    # Random, so PostgreSQL cannot compress them below its index entry limit (about 2.7 kB).
    long_iri = "http://example.com/" + secrets.token_urlsafe(3000)
    long_name = "é" + secrets.token_hex(2000)
    data = statement(
        actor=account_agent(long_name),
        verb={"id": long_iri + "/verb"},
        object={"id": long_iri},
        context={"contextActivities": {"parent": [{"id": long_iri + "/parent"}]}},
    )
    assert _post(client, lrs, data).status_code == 200
    headers = xapi_headers(lrs)
    queries = [
        {"agent": json.dumps(account_agent(long_name))},
        {"verb": long_iri + "/verb"},
        {"activity": long_iri},
        {"activity": long_iri + "/parent", "related_activities": "true"},
        {"agent": json.dumps(account_agent(long_name)), "related_agents": "true"},
    ]
    for params in queries:
        found = client.get("/xapi/statements", params, **headers).json()["statements"]
        assert [s["id"] for s in found] == [data["id"]], params
    other = client.get("/xapi/statements", {"activity": long_iri + "b"}, **headers).json()
    assert other["statements"] == []


def test_nul_in_document_parameters_is_refused(client, lrs):
    response = client.put(
        "/xapi/activities/state?"
        + "activityId=http%3A%2F%2Fexample.com%2Fa&stateId=a%00b&agent="
        + json.dumps(account_agent("x")).replace('"', "%22"),
        b"{}",
        content_type="application/json",
        **xapi_headers(lrs),
    )
    assert response.status_code == 400
    assert "U+0000" in response.json()["error"]["rule"]
    assert not StateDocument.objects.exists()


@pytest.mark.parametrize("body", [b'{"a": NaN}', b'{"a": "\\ud800"}', b'{"a": 1e400}'])
def test_json_documents_that_are_not_strict_json_are_refused(client, lrs, body):
    params = {
        "activityId": "http://example.com/a",
        "stateId": "s",
        "agent": json.dumps(account_agent("x")),
    }
    from urllib.parse import urlencode

    response = client.post(
        "/xapi/activities/state?" + urlencode(params),
        body,
        content_type="application/json",
        **xapi_headers(lrs),
    )
    assert response.status_code == 400, response.content
    assert not StateDocument.objects.exists()


def test_json_document_with_nul_is_stored_and_merged(client, lrs):
    from urllib.parse import urlencode

    path = "/xapi/activities/state?" + urlencode(
        {
            "activityId": "http://example.com/a",
            "stateId": "s",
            "agent": json.dumps(account_agent("x")),
        }
    )
    headers = xapi_headers(lrs)
    first = client.post(path, b'{"a": "x\\u0000y"}', content_type="application/json", **headers)
    assert first.status_code == 204, first.content
    second = client.post(path, b'{"b": 1}', content_type="application/json", **headers)
    assert second.status_code == 204, second.content
    assert client.get(path, **headers).json() == {"a": "x\x00y", "b": 1}


@pytest.mark.parametrize("limit", ["²", "9" * 5000, "-1", "1.5"])
def test_odd_limits_are_400(client, lrs, limit):
    response = client.get("/xapi/statements", {"limit": limit}, **xapi_headers(lrs))
    assert response.status_code == 400
    assert response.json()["error"]["property"] == "limit"


@pytest.mark.parametrize("path", ["/xapi/nothing", "/xapi/statements/", "/xapi/activities/x/y"])
def test_unknown_xapi_paths_are_json_404(client, lrs, path):
    response = client.get(path, **xapi_headers(lrs))
    assert response.status_code == 404
    assert response.json()["error"]["property"] == "path"
    assert response["X-Experience-API-Version"] == "1.0.3"


def test_method_not_allowed_is_json_405(client, lrs):
    response = client.delete("/xapi/statements", **xapi_headers(lrs))
    assert response.status_code == 405
    assert response.json()["error"]["property"] == "method"


def test_a_bug_inside_an_endpoint_is_a_json_500(client, lrs, monkeypatch):
    """Not input: a fault of the LRS itself. The answer is still JSON (Communication 3.2)."""
    from learners.lrs.api import statements as api

    def broken(**kwargs):
        raise RuntimeError("simulated fault")

    monkeypatch.setattr(api, "statements_page", broken)
    client.raise_request_exception = False
    response = client.get("/xapi/statements", **xapi_headers(lrs))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["message"]
