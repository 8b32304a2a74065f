"""/xapi/statements through the Django test client (xAPI 1.0.3 Communication 2.1)."""

import base64
import hashlib
import json
import uuid
from urllib.parse import urlencode

import pytest

from learners.lrs.models import Statement
from tests.factories.lrs import (
    LRSClientFactory,
    account_agent,
    activity,
    agent,
    statement,
    xapi_headers,
)

pytestmark = pytest.mark.django_db

URL = "/xapi/statements"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


@pytest.fixture
def lrs_client():
    return LRSClientFactory()


def post(client, lrs_client, data, **extra):
    return client.post(
        URL, json.dumps(data), content_type="application/json", **xapi_headers(lrs_client), **extra
    )


def put(client, lrs_client, data, statement_id):
    return client.put(
        f"{URL}?statementId={statement_id}",
        json.dumps(data),
        content_type="application/json",
        **xapi_headers(lrs_client),
    )


def get(client, lrs_client, **params):
    return client.get(URL, params, **xapi_headers(lrs_client))


def test_statements_post_single_returns_its_id(client, lrs_client):
    data = statement()
    response = post(client, lrs_client, data)
    assert response.status_code == 200
    assert response.json() == [data["id"]]
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert response["X-Experience-API-Consistent-Through"]


def test_statements_post_batch_returns_ids_in_order(client, lrs_client):
    batch = [statement(), statement(id=None), statement()]
    response = post(client, lrs_client, batch)
    assert response.status_code == 200
    ids = response.json()
    assert ids[0] == batch[0]["id"] and ids[2] == batch[2]["id"]
    assert Statement.objects.count() == 3


def test_statements_post_batch_with_one_bad_statement_stores_nothing(client, lrs_client):
    batch = [statement(), statement(actor={"mbox": "nobody"})]
    response = post(client, lrs_client, batch)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["property"] == "[1].actor.mbox"
    assert error["rule"].startswith("xAPI 1.0.3 Data 2.4.2.3")
    assert "mailto" in error["message"]
    assert Statement.objects.count() == 0


def test_statements_put_stores_under_statement_id(client, lrs_client):
    data = statement(id=None)
    statement_id = str(uuid.uuid4())
    response = put(client, lrs_client, data, statement_id)
    assert response.status_code == 204
    assert Statement.objects.get().exact_json()["id"] == statement_id


@pytest.mark.parametrize("statement_id", [None, "true", "not-a-uuid"])
def test_statements_put_needs_a_uuid_statement_id(client, lrs_client, statement_id):
    url = URL if statement_id is None else f"{URL}?statementId={statement_id}"
    response = client.put(
        url, json.dumps(statement()), content_type="application/json", **xapi_headers(lrs_client)
    )
    assert response.status_code == 400
    assert response.json()["error"]["property"] == "statementId"


def test_statements_put_id_must_match_parameter(client, lrs_client):
    response = put(client, lrs_client, statement(), str(uuid.uuid4()))
    assert response.status_code == 400
    assert Statement.objects.count() == 0


def test_statements_same_id_other_content_gets_409(client, lrs_client):
    data = statement()
    assert post(client, lrs_client, data).status_code == 200
    changed = {**data, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    response = put(client, lrs_client, changed, data["id"])
    assert response.status_code == 409
    assert response.json()["error"]["property"] == "id"
    stored = get(client, lrs_client, statementId=data["id"]).json()
    assert stored["verb"]["id"] == data["verb"]["id"]


def test_statements_same_id_same_content_succeeds_without_second_row(client, lrs_client):
    data = statement()
    assert post(client, lrs_client, data).status_code == 200
    assert put(client, lrs_client, data, data["id"]).status_code == 204
    assert post(client, lrs_client, data).json() == [data["id"]]
    assert Statement.objects.count() == 1


def test_statements_post_rejects_other_content_types(client, lrs_client):
    response = client.post(
        URL, json.dumps(statement()), content_type="text/plain", **xapi_headers(lrs_client)
    )
    assert response.status_code == 400
    assert response.json()["error"]["property"] == "Content-Type"


def test_statements_post_rejects_invalid_json(client, lrs_client):
    response = client.post(
        URL, "{not json", content_type="application/json", **xapi_headers(lrs_client)
    )
    assert response.status_code == 400


def test_statements_get_by_id_returns_the_statement_with_last_modified(client, lrs_client):
    data = statement()
    post(client, lrs_client, data)
    response = get(client, lrs_client, statementId=data["id"].upper())
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == data["id"]
    assert body["stored"]
    assert response["Last-Modified"]
    assert response["Content-Type"] == "application/json"


def test_statements_get_unknown_id_is_404(client, lrs_client):
    response = get(client, lrs_client, statementId=str(uuid.uuid4()))
    assert response.status_code == 404
    assert response.json()["error"]["property"] == "statementId"
    assert response["X-Experience-API-Consistent-Through"]


def test_statements_get_by_id_rejects_other_parameters(client, lrs_client):
    data = statement()
    post(client, lrs_client, data)
    response = get(client, lrs_client, statementId=data["id"], verb=data["verb"]["id"])
    assert response.status_code == 400
    response = get(client, lrs_client, statementId=data["id"], format="ids", attachments="false")
    assert response.status_code == 200


def test_statements_voided_statement_only_by_voided_statement_id(client, lrs_client):
    target = statement()
    post(client, lrs_client, target)
    void = statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": target["id"]})
    assert post(client, lrs_client, void).status_code == 200
    assert get(client, lrs_client, statementId=target["id"]).status_code == 404
    response = get(client, lrs_client, voidedStatementId=target["id"])
    assert response.status_code == 200
    assert response.json()["id"] == target["id"]
    ids = [s["id"] for s in get(client, lrs_client).json()["statements"]]
    assert target["id"] not in ids
    assert void["id"] in ids
    assert get(client, lrs_client, voidedStatementId=void["id"]).status_code == 404


def test_statements_voiding_a_voiding_statement_is_400(client, lrs_client):
    target = statement()
    void = statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": target["id"]})
    post(client, lrs_client, [target, void])
    again = statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": void["id"]})
    response = post(client, lrs_client, again)
    assert response.status_code == 400
    assert get(client, lrs_client, statementId=void["id"]).status_code == 200


def test_statements_query_filters(client, lrs_client):
    registration = str(uuid.uuid4())
    course = {"id": "http://testserver/xapi/activities/course/c1"}
    a = statement(actor=agent("a"), context={"registration": registration})
    b = statement(
        actor=agent("b"),
        verb={"id": "http://adlnet.gov/expapi/verbs/passed"},
        context={"contextActivities": {"parent": [course]}},
    )
    c = statement(actor=agent("c"), object={"objectType": "Agent", **agent("a")})
    d = statement(actor=agent("d"), context={"instructor": agent("a")})
    post(client, lrs_client, [a, b, c, d])

    def ids(**params):
        response = get(client, lrs_client, **params)
        assert response.status_code == 200, response.content
        return {s["id"] for s in response.json()["statements"]}

    assert ids(agent=json.dumps(agent("a"))) == {a["id"], c["id"]}
    assert ids(agent=json.dumps(agent("a")), related_agents="true") == {a["id"], c["id"], d["id"]}
    assert ids(verb="http://adlnet.gov/expapi/verbs/passed") == {b["id"]}
    assert ids(activity=course["id"]) == set()
    assert ids(activity=course["id"], related_activities="true") == {b["id"]}
    assert ids(activity=a["object"]["id"]) == {a["id"], b["id"], d["id"]}
    assert ids(registration=registration) == {a["id"]}
    assert ids(agent=json.dumps(agent("nobody"))) == set()


def test_statements_query_since_until_ascending_and_limit(client, lrs_client):
    first = statement()
    post(client, lrs_client, first)
    middle = get(client, lrs_client, statementId=first["id"]).json()["stored"]
    second = statement()
    post(client, lrs_client, second)
    newest_first = [s["id"] for s in get(client, lrs_client).json()["statements"]]
    assert newest_first == [second["id"], first["id"]]
    oldest_first = [s["id"] for s in get(client, lrs_client, ascending="true").json()["statements"]]
    assert oldest_first == [first["id"], second["id"]]
    assert [s["id"] for s in get(client, lrs_client, since=middle).json()["statements"]] == [
        second["id"]
    ]
    assert [s["id"] for s in get(client, lrs_client, until=middle).json()["statements"]] == [
        first["id"]
    ]
    assert len(get(client, lrs_client, limit="1").json()["statements"]) == 1


@pytest.mark.parametrize(
    "params",
    [
        {"agent": "not json"},
        {"agent": json.dumps({"name": "no ifi"})},
        {"verb": "not an iri"},
        {"registration": "nope"},
        {"since": "yesterday"},
        {"limit": "-1"},
        {"format": "full"},
        {"ascending": "yes"},
        {"unknown": "1"},
    ],
)
def test_statements_query_rejects_bad_parameters(client, lrs_client, params):
    response = get(client, lrs_client, **params)
    assert response.status_code == 400
    assert response.json()["error"]["property"] == next(iter(params))


def test_statements_query_statement_refs_match_their_targets(client, lrs_client):
    target = statement(actor=agent("target"))
    ref = statement(
        actor=agent("other"),
        verb={"id": "http://example.com/verbs/commented"},
        object={"objectType": "StatementRef", "id": target["id"]},
    )
    post(client, lrs_client, [target, ref])
    response = get(client, lrs_client, agent=json.dumps(agent("target")))
    assert {s["id"] for s in response.json()["statements"]} == {target["id"], ref["id"]}


def test_statements_more_pages_correctly_while_statements_arrive(client, lrs_client):
    batch = [statement() for _ in range(5)]
    for item in batch:
        post(client, lrs_client, item)
    seen = []
    response = get(client, lrs_client, limit="2").json()
    seen += [s["id"] for s in response["statements"]]
    arrived = statement()
    post(client, lrs_client, arrived)
    while response["more"]:
        assert response["more"].startswith("/xapi/statements?more=")
        response = client.get(response["more"], **xapi_headers(lrs_client)).json()
        seen += [s["id"] for s in response["statements"]]
        post(client, lrs_client, statement())
    assert seen == [item["id"] for item in reversed(batch)]


def test_statements_more_pages_ascending(client, lrs_client):
    batch = [statement() for _ in range(3)]
    for item in batch:
        post(client, lrs_client, item)
    response = get(client, lrs_client, limit="2", ascending="true").json()
    seen = [s["id"] for s in response["statements"]]
    post(client, lrs_client, statement())
    response = client.get(response["more"], **xapi_headers(lrs_client)).json()
    seen += [s["id"] for s in response["statements"]]
    assert seen == [item["id"] for item in batch]
    assert response["more"] == ""


def test_statements_query_pages_100_by_default_and_caps_larger_limits(client, lrs_client):
    batch = [statement() for _ in range(101)]
    assert post(client, lrs_client, batch).status_code == 200
    newest_first = [item["id"] for item in reversed(batch)]
    for params in ({}, {"limit": "0"}, {"limit": "500"}):
        page = get(client, lrs_client, **params).json()
        assert [s["id"] for s in page["statements"]] == newest_first[:100]
        rest = client.get(page["more"], **xapi_headers(lrs_client)).json()
        assert [s["id"] for s in rest["statements"]] == newest_first[100:]
        assert rest["more"] == ""
    small = get(client, lrs_client, limit="3").json()
    assert [s["id"] for s in small["statements"]] == newest_first[:3]
    assert small["more"]


def test_statements_more_link_is_tamper_proof(client, lrs_client):
    response = client.get(f"{URL}?more=forged", **xapi_headers(lrs_client))
    assert response.status_code == 400


def test_statements_format_ids_and_canonical(client, lrs_client):
    data = statement(
        actor={**agent("named"), "name": "A Learner"},
        verb={"id": "http://example.com/verbs/did", "display": {"en-GB": "did", "fr": "a fait"}},
        object=activity("fmt", name={"en-GB": "Lesson", "fr": "Leçon"}),
    )
    post(client, lrs_client, data)
    ids = get(client, lrs_client, statementId=data["id"], format="ids").json()
    assert ids["actor"] == agent("named")
    assert ids["verb"] == {"id": "http://example.com/verbs/did"}
    assert ids["object"] == {"id": data["object"]["id"]}
    canonical = client.get(
        URL,
        {"statementId": data["id"], "format": "canonical"},
        **xapi_headers(lrs_client, HTTP_ACCEPT_LANGUAGE="fr, en;q=0.5"),
    ).json()
    assert canonical["verb"]["display"] == {"fr": "a fait"}
    assert canonical["object"]["definition"]["name"] == {"fr": "Leçon"}
    assert canonical["actor"]["name"] == "A Learner"


def test_statements_head_has_headers_and_no_body(client, lrs_client):
    response = client.head(URL, **xapi_headers(lrs_client))
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Experience-API-Consistent-Through"]


# --- attachments (Communication 1.5.2) and signed statements (Data 2.6) ---

ATTACHMENT_TEXT = b"here is a simple attachment"


def _attachment(content: bytes, usage="http://example.com/usage", content_type="text/plain"):
    return {
        "usageType": usage,
        "display": {"en-GB": "A file"},
        "contentType": content_type,
        "length": len(content),
        "sha2": hashlib.sha256(content).hexdigest(),
    }


def _multipart(document, parts, boundary="xapi-boundary"):
    chunks = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        json.dumps(document).encode(),
        b"\r\n",
    ]
    for content_type, sha2, content in parts:
        chunks.append(
            (
                f"--{boundary}\r\nContent-Type: {content_type}\r\n"
                f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha2}\r\n\r\n"
            ).encode()
        )
        chunks += [content, b"\r\n"]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f'multipart/mixed; boundary="{boundary}"'


def test_statements_attachment_round_trip(client, lrs_client, settings):
    meta = _attachment(ATTACHMENT_TEXT)
    data = statement(attachments=[meta])
    body, content_type = _multipart(data, [("text/plain", meta["sha2"], ATTACHMENT_TEXT)])
    response = client.post(URL, body, content_type=content_type, **xapi_headers(lrs_client))
    assert response.status_code == 200, response.content
    stored = list((settings.PRIVATE_STORAGE_ROOT / "xapi-attachments").iterdir())
    assert [path.read_bytes() for path in stored] == [ATTACHMENT_TEXT]
    response = get(client, lrs_client, statementId=data["id"], attachments="true")
    assert response["Content-Type"].startswith("multipart/mixed")
    assert ATTACHMENT_TEXT in response.content
    assert f"X-Experience-API-Hash: {meta['sha2']}".encode() in response.content


def test_statements_attachment_sha2_mismatch_is_rejected(client, lrs_client):
    meta = _attachment(ATTACHMENT_TEXT)
    data = statement(attachments=[meta])
    body, content_type = _multipart(data, [("text/plain", meta["sha2"], b"other content")])
    response = client.post(URL, body, content_type=content_type, **xapi_headers(lrs_client))
    assert response.status_code == 400
    assert "SHA-2" in response.json()["error"]["message"]
    assert Statement.objects.count() == 0


def test_statements_attachment_without_file_url_needs_its_part(client, lrs_client):
    data = statement(attachments=[_attachment(ATTACHMENT_TEXT)])
    response = post(client, lrs_client, data)
    assert response.status_code == 400
    assert Statement.objects.count() == 0


def test_statements_attachment_part_must_be_declared(client, lrs_client):
    meta = _attachment(ATTACHMENT_TEXT)
    data = statement()
    body, content_type = _multipart(data, [("text/plain", meta["sha2"], ATTACHMENT_TEXT)])
    response = client.post(URL, body, content_type=content_type, **xapi_headers(lrs_client))
    assert response.status_code == 400


def _b64(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode()


def _jws(payload: dict, alg="RS256") -> bytes:
    header = _b64(json.dumps({"alg": alg}).encode())
    body = _b64(json.dumps(payload).encode())
    return f"{header}.{body}.{_b64(b'signature-bytes')}".encode()


SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"


@pytest.mark.parametrize(
    ("alg", "tamper", "status"),
    [("RS256", False, 200), ("HS256", False, 400), ("RS256", True, 400)],
)
def test_statements_signed_statement_checked(client, lrs_client, alg, tamper, status):
    data = statement()
    signed = dict(data)
    if tamper:
        signed["verb"] = {"id": "http://example.com/verbs/other"}
    jws = _jws(signed, alg)
    meta = _attachment(jws, usage=SIGNATURE, content_type="application/octet-stream")
    data["attachments"] = [meta]
    body, content_type = _multipart(data, [("application/octet-stream", meta["sha2"], jws)])
    response = client.post(URL, body, content_type=content_type, **xapi_headers(lrs_client))
    assert response.status_code == status, response.content
    assert Statement.objects.count() == (1 if status == 200 else 0)


# --- the HTTP layer: version, CORS, alternate syntax, errors ---


@pytest.mark.parametrize("version", [None, "0.95", "2.0.0", "banana"])
def test_statements_require_a_1_0_version_header(client, lrs_client, version):
    headers = xapi_headers(lrs_client)
    headers.pop("HTTP_X_EXPERIENCE_API_VERSION")
    if version:
        headers["HTTP_X_EXPERIENCE_API_VERSION"] = version
    response = client.get(URL, **headers)
    assert response.status_code == 400
    assert response.json()["error"]["property"] == "X-Experience-API-Version"
    assert response["X-Experience-API-Version"] == "1.0.3"


@pytest.mark.parametrize("version", ["1.0", "1.0.0", "1.0.3", "1.0.9"])
def test_statements_accept_any_1_0_version(client, lrs_client, version):
    assert get(client, lrs_client).status_code == 200
    headers = xapi_headers(lrs_client, version=version)
    assert client.get(URL, **headers).status_code == 200


def test_statements_cors_preflight(client):
    response = client.options(
        URL,
        HTTP_ORIGIN="https://content.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PUT",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, x-experience-api-version",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://content.example.com"
    assert "X-Experience-API-Version" in response["Access-Control-Allow-Headers"]
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]
    assert "PUT" in response["Access-Control-Allow-Methods"]
    assert "X-Experience-API-Consistent-Through" in response["Access-Control-Expose-Headers"]


def test_statements_cors_headers_on_errors_too(client):
    response = client.get(URL, HTTP_ORIGIN="https://content.example.com")
    assert response.status_code == 401
    assert response["Access-Control-Allow-Origin"] == "https://content.example.com"


def _form(client, method, form, query=None):
    query = query or {"method": method}
    return client.post(
        f"{URL}?{urlencode(query)}",
        urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )


def test_statements_alternate_syntax_put_and_get(client, lrs_client):
    headers = xapi_headers(lrs_client)
    data = statement()
    form = {
        "statementId": data["id"],
        "content": json.dumps(data),
        "Authorization": headers["HTTP_AUTHORIZATION"],
        "X-Experience-API-Version": "1.0.3",
    }
    assert _form(client, "PUT", form).status_code == 204
    form = {
        "statementId": data["id"],
        "Authorization": headers["HTTP_AUTHORIZATION"],
        "X-Experience-API-Version": "1.0.3",
    }
    response = _form(client, "GET", form)
    assert response.status_code == 200
    assert response.json()["id"] == data["id"]


def test_statements_alternate_syntax_rejects_extra_query_parameters(client, lrs_client):
    headers = xapi_headers(lrs_client)
    data = statement()
    form = {
        "content": json.dumps(data),
        "Authorization": headers["HTTP_AUTHORIZATION"],
        "X-Experience-API-Version": "1.0.3",
    }
    response = _form(client, "PUT", form, query={"method": "PUT", "statementId": data["id"]})
    assert response.status_code == 400
    assert Statement.objects.count() == 0


def test_statements_alternate_syntax_must_be_a_post(client, lrs_client):
    response = client.get(f"{URL}?method=POST", **xapi_headers(lrs_client))
    assert response.status_code == 400


def test_statements_method_not_allowed(client, lrs_client):
    response = client.delete(URL, **xapi_headers(lrs_client))
    assert response.status_code == 405
    assert response.json()["error"]["property"] == "method"


def test_statements_account_actor_round_trip(client, lrs_client):
    data = statement(actor=account_agent("learner-42"))
    post(client, lrs_client, data)
    response = get(client, lrs_client, agent=json.dumps(account_agent("learner-42")))
    assert [s["id"] for s in response.json()["statements"]] == [data["id"]]
