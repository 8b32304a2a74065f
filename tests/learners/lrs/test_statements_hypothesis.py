"""Hypothesis: statements broken in any one place are all rejected, and nothing is stored.

Valid statements are generated with varied shapes (agents, groups, activities with definitions,
sub-statements, results, contexts); one mutation that the spec forbids anywhere outside an
extension value is then applied at a random place: an unknown property, a null, a number
where a string belongs, a missing required property.
"""

import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learners.lrs.models import Statement, StatementRelation
from learners.lrs.services import statements_store
from learners.lrs.validation import StatementValidationError, validate_statement
from tests.factories.lrs import LRSClientFactory, xapi_headers

pytestmark = pytest.mark.django_db

AUTHORITY = {"objectType": "Agent", "account": {"homePage": "http://testserver", "name": "k"}}
words = st.text(alphabet="abcdefghij", min_size=1, max_size=8)
iris = words.map(lambda w: f"http://example.com/{w}")
language_maps = st.dictionaries(st.sampled_from(["en-GB", "cy", "fr-FR"]), words, min_size=1)
uuids = st.builds(lambda: str(uuid.uuid4()))

agents = st.one_of(
    words.map(lambda w: {"mbox": f"mailto:{w}@example.gov.uk"}),
    words.map(
        lambda w: {"objectType": "Agent", "account": {"homePage": "http://x.example", "name": w}}
    ),
    st.builds(lambda w, n: {"name": n, "openid": f"http://openid.example/{w}"}, words, words),
)
groups = st.builds(
    lambda members: {"objectType": "Group", "member": members},
    st.lists(agents, min_size=1, max_size=3),
)
actors = st.one_of(agents, groups)
verbs = st.builds(lambda i, d: {"id": i, "display": d}, iris, language_maps)
definitions = st.fixed_dictionaries(
    {},
    optional={
        "name": language_maps,
        "description": language_maps,
        "type": iris,
        "extensions": st.dictionaries(iris, st.integers(), min_size=1, max_size=2),
    },
)
activities = st.builds(
    lambda i, d: {"objectType": "Activity", "id": i, **({"definition": d} if d else {})},
    iris,
    definitions,
)
results = st.fixed_dictionaries(
    {},
    optional={
        "success": st.booleans(),
        "completion": st.booleans(),
        "response": words,
        "duration": st.sampled_from(["PT1M", "P1DT2H", "PT0.5S"]),
        "score": st.builds(
            lambda s: {"scaled": s, "raw": 5, "min": 0, "max": 10}, st.floats(-1, 1)
        ),
    },
)
contexts = st.fixed_dictionaries(
    {},
    optional={
        "registration": uuids,
        "instructor": agents,
        # Data 2.4.6.2: contextActivities holds at least one key.
        "contextActivities": st.fixed_dictionaries(
            {"parent": st.lists(activities, min_size=1, max_size=2)},
            optional={"other": activities},
        ),
        "language": st.sampled_from(["en-GB", "cy"]),
    },
)
substatements = st.builds(
    lambda a, v, o: {"objectType": "SubStatement", "actor": a, "verb": v, "object": o},
    actors,
    verbs,
    activities,
)


@st.composite
def statements(draw):
    data = {
        "id": draw(uuids),
        "actor": draw(actors),
        "verb": draw(verbs),
        "object": draw(st.one_of(activities, substatements)),
    }
    if draw(st.booleans()):
        data["result"] = draw(results)
    if draw(st.booleans()):
        data["context"] = draw(contexts)
    if draw(st.booleans()):
        data["timestamp"] = "2026-11-27T10:00:00Z"
    return data


REQUIRED = {("actor",), ("verb",), ("object",), ("verb", "id")}


def _places(value, path=()):
    """Every (path, value) in the statement except inside extension values."""
    yield path, value
    if isinstance(value, dict):
        if path and path[-1] == "extensions":
            return
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


def _parent(data, path):
    for key in path[:-1]:
        data = data[key]
    return data


@st.composite
def broken_statements(draw):
    data = draw(statements())
    places = list(_places(data))
    kind = draw(st.sampled_from(["unknown key", "null", "number for string", "remove required"]))
    if kind == "unknown key":
        dicts = [path for path, value in places if isinstance(value, dict)]
        path = draw(st.sampled_from(dicts))
        target = data
        for key in path:
            target = target[key]
        target["not valid"] = 1
    elif kind == "null":
        keyed = [path for path, _ in places if path and isinstance(path[-1], str)]
        path = draw(st.sampled_from(keyed))
        _parent(data, path)[path[-1]] = None
    elif kind == "number for string":
        strings = [path for path, value in places if path and isinstance(value, str)]
        path = draw(st.sampled_from(strings))
        _parent(data, path)[path[-1]] = 12345
    else:
        path = draw(st.sampled_from(sorted(REQUIRED)))
        del _parent(data, path)[path[-1]]
    return data


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(statements())
def test_generated_valid_statements_validate(data):
    validate_statement(data)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(good=statements(), bad=broken_statements())
def test_generated_broken_statements_are_rejected_and_nothing_stored(good, bad):
    with pytest.raises(StatementValidationError):
        statements_store(statements=[good, bad], authority=AUTHORITY)
    assert not Statement.objects.exists()
    assert not StatementRelation.objects.exists()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(bad=broken_statements())
def test_generated_broken_statements_get_400_over_http(client, bad):
    lrs_client = LRSClientFactory()
    response = client.post(
        "/xapi/statements",
        json.dumps(bad),
        content_type="application/json",
        **xapi_headers(lrs_client),
    )
    assert response.status_code == 400
    assert response.json()["error"]["rule"].startswith("xAPI 1.0.3")
    assert not Statement.objects.exists()
