"""Hypothesis: no input to /xapi/ gets a 5xx, refused input stores nothing, and whatever is
accepted reads back as strict JSON (issue 14, "never a 500 from input").

Valid statements, documents and query parameters are mutated at a random place: the value is
replaced by another type, a very long or odd Unicode string (NUL, lone surrogates, astral
characters), deep nesting, a number JSON allows but a double does not hold (or one JSON does
not allow at all: NaN, Infinity) or a date at the edge of the range. The bodies are written as
raw text so that those literals reach the server as a client would send them.

The small variant runs on SQLite with the default suite; the `postgres` one runs more examples
on PostgreSQL (DATABASE_URL), where NUL, index sizes and timestamp ranges used to fail.
"""

import json
from urllib.parse import urlencode

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learners.lrs.models import (
    ActivityProfile,
    AgentProfile,
    StateDocument,
    Statement,
    StatementRelation,
)
from tests.factories.lrs import LRSClientFactory, xapi_headers
from tests.learners.lrs.test_statements_hypothesis import statements

pytestmark = pytest.mark.django_db

SURROGATE = "\ud800"  # written raw as \ud800 by json.dumps
edge_dates = st.sampled_from(
    [
        "9999-12-31T23:59:59-05:00",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59.999999Z",
        "0001-01-01T00:00:00Z",
        "2026-02-30T00:00:00Z",
        "2026-01-01T24:00:00Z",
        "2026-01-01T00:00:00+24:00",
        "2026-01-01T00:00:00.1234567890123Z",
        "２０２６-01-01T00:00:00Z",
    ]
)
odd_text = st.one_of(
    st.text(max_size=20),
    st.text(alphabet=st.sampled_from(["\x00", SURROGATE, "\udc00", "\U0001f600", "é", "\u202e"])),
    st.integers(min_value=1100, max_value=4000).map(lambda n: "http://example.com/" + "x" * n),
    st.integers(min_value=300, max_value=1200).map(lambda n: "ü" * n),
    st.sampled_from(["", " ", "http://", "mailto:", "urn:x", "P4W1D", "P1.5Y2M", "PT"]),
)


def _nest(depth: int):
    value = 0
    for _ in range(depth):
        value = [value]
    return value


# Values only raw text can carry (json.dumps writes NaN/Infinity itself): numbers beyond a
# double, and nesting too deep for Python's encoder to write.
RAW_NUMBERS = {
    "__1e400__": "1e400",
    "__big__": "1" + "0" * 5000,
    "__negzero__": "-0.0",
    "__deep__": "[" * 5000 + "]" * 5000,
}
odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63, max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(list(RAW_NUMBERS)),
    odd_text,
    edge_dates,
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just(70).map(_nest),
)


def _places(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


def _raw(value) -> str:
    text = json.dumps(value)  # NaN and Infinity come out as literals, surrogates as escapes
    for marker, literal in RAW_NUMBERS.items():
        text = text.replace(f'"{marker}"', literal)
    return text


@st.composite
def mutated_statements(draw):
    data = draw(statements())
    paths = [path for path in _places(data) if path]
    path = draw(st.sampled_from(paths))
    target = data
    for key in path[:-1]:
        target = target[key]
    if draw(st.booleans()) and isinstance(target, dict):
        # A new key holding the odd value, or the key itself odd.
        target[draw(odd_text)] = draw(odd_values)
    else:
        target[path[-1]] = draw(odd_values)
    if draw(st.integers(0, 4)) == 0:
        return [data, draw(statements())]
    return data


def _strict(text: str):
    def refuse(name):
        raise AssertionError(f"{name} in a response")

    return json.loads(text, parse_constant=refuse)


def _counts():
    return (
        Statement.objects.count(),
        StatementRelation.objects.count(),
        StateDocument.objects.count(),
        ActivityProfile.objects.count(),
        AgentProfile.objects.count(),
    )


def _check_statement(client, headers, data):
    before = _counts()
    response = client.post(
        "/xapi/statements", _raw(data), content_type="application/json", **headers
    )
    assert response.status_code < 500, response.content
    assert response["Content-Type"].startswith("application/json")
    if response.status_code != 200:
        assert response.status_code in (400, 409), response.content
        error = response.json()["error"]
        assert error["message"] and error["rule"]
        assert _counts() == before
        return
    for statement_id in response.json():
        got = client.get("/xapi/statements", {"statementId": statement_id}, **headers)
        assert got.status_code == 200, got.content
        _strict(got.content.decode("utf-8"))
    listing = client.get("/xapi/statements", {"limit": "5"}, **headers)
    assert listing.status_code == 200
    _strict(listing.content.decode("utf-8"))


QUERY_NAMES = [
    "agent",
    "verb",
    "activity",
    "registration",
    "since",
    "until",
    "limit",
    "format",
    "ascending",
    "related_activities",
    "statementId",
    "more",
    "unknown",
]
DOCUMENT_PATHS = ["activities/state", "activities/profile", "agents/profile", "activities"]
DOCUMENT_PARAMS = {
    "activityId": "http://example.com/a",
    "agent": json.dumps({"account": {"homePage": "http://example.com", "name": "n"}}),
    "stateId": "s",
    "profileId": "p",
}
param_text = st.one_of(
    odd_text.filter(lambda t: SURROGATE not in t and "\udc00" not in t),
    edge_dates,
    st.dictionaries(st.sampled_from(["mbox", "account", "objectType", "x"]), odd_text).map(
        lambda d: json.dumps(d)
    ),
    st.integers().map(str),
)


def _check_query(client, headers, params):
    response = client.get("/xapi/statements?" + urlencode(params), **headers)
    assert response.status_code < 500, response.content
    assert response["Content-Type"].startswith("application/json")
    _strict(response.content.decode("utf-8"))


def _check_document(client, headers, resource, params, method, body):
    before = _counts()
    response = client.generic(
        method,
        f"/xapi/{resource}?" + urlencode(params),
        body,
        content_type="application/json",
        **headers,
    )
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert response.json()["error"]["message"]
        assert _counts() == before
    elif method == "GET" and response.status_code == 200 and response.content:
        if response["Content-Type"].startswith("application/json"):
            _strict(response.content.decode("utf-8"))


def _fuzz(max_examples: int):
    common = settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )

    @common
    @given(data=mutated_statements())
    def statements_case(client, headers, data):
        _check_statement(client, headers, data)

    @common
    @given(params=st.dictionaries(st.sampled_from(QUERY_NAMES), param_text, min_size=1, max_size=3))
    def query_case(client, headers, params):
        _check_query(client, headers, params)

    @common
    @given(
        resource=st.sampled_from(DOCUMENT_PATHS),
        name=st.sampled_from([*DOCUMENT_PARAMS, "registration", "since"]),
        value=param_text,
        method=st.sampled_from(["PUT", "POST", "GET", "DELETE"]),
        body=st.one_of(odd_values.map(_raw), st.just("{}")),
    )
    def document_case(client, headers, resource, name, value, method, body):
        params = {**DOCUMENT_PARAMS, name: value}
        _check_document(client, headers, resource, params, method, body.encode("utf-8"))

    return statements_case, query_case, document_case


def _run_all(client, max_examples):
    headers = xapi_headers(LRSClientFactory())
    for case in _fuzz(max_examples):
        case(client, headers)


def test_fuzzed_input_never_500_sqlite(client):
    """The quick variant, in every run of the suite."""
    _run_all(client, 10)


@pytest.mark.postgres
def test_fuzzed_input_never_500_postgres(client):
    """More examples on PostgreSQL (DATABASE_URL), under a minute."""
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")
    _run_all(client, 40)
