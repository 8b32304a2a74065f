"""Statement comparison (xAPI 1.0.3 Data 2.3.1): a re-sent statement that differs from the
stored one only in what the exceptions to immutability allow is the same statement (200/204,
one row), and any other difference is a 409 that leaves the stored statement as it was.
"""

import pytest

from learners.lrs.models import Statement

from .xapi import activity, clone, mbox_agent, statement, substatement

pytestmark = pytest.mark.django_db


def _drop_object_types(value):
    """Every objectType that is at its default removed, recursively."""
    if isinstance(value, list):
        return [_drop_object_types(item) for item in value]
    if not isinstance(value, dict):
        return value
    return {
        key: _drop_object_types(item)
        for key, item in value.items()
        if not (key == "objectType" and item in ("Agent", "Activity"))
    }


def _rich() -> dict:
    group = {"objectType": "Group", "member": [mbox_agent(), mbox_agent()]}
    return statement(
        object=activity(full=True),
        context={
            "instructor": mbox_agent(),
            "team": {**group, "name": "team"},
            "contextActivities": {"parent": [activity()], "category": [activity()]},
        },
    )


def _with_sub() -> dict:
    return statement(actor={"objectType": "Group", "member": [mbox_agent()]}, object=substatement())


@pytest.mark.parametrize("shape", [_rich, _with_sub])
@pytest.mark.parametrize("first_explicit", [True, False])
@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_resend_differing_only_by_default_object_types_is_the_same(
    xapi, shape, first_explicit, method
):
    """Data 2.3.1 with Data 2.4.2.1 / 2.4.4: `"objectType": "Agent"` and `"Activity"` are the
    defaults; writing them out or leaving them out is the same statement.
    """
    explicit = shape()
    implicit = _drop_object_types(explicit)
    assert implicit != explicit
    first, second = (explicit, implicit) if first_explicit else (implicit, explicit)
    send = xapi.put_statement if method == "PUT" else xapi.post_statements
    ok = 204 if method == "PUT" else 200
    assert send(first).status_code == ok
    response = send(second)
    assert response.status_code == ok, response.content
    assert Statement.objects.filter(statement_id=explicit["id"]).count() == 1


def test_resend_with_members_reordered_single_context_activity_and_upper_case_id(xapi):
    data = _rich()
    xapi.store(data)
    again = clone(data)
    again["id"] = data["id"].upper()
    again["context"]["team"]["member"].reverse()
    again["context"]["contextActivities"]["parent"] = data["context"]["contextActivities"][
        "parent"
    ][0]
    assert xapi.post_statements(again).status_code == 200


def test_resend_without_the_timestamp_the_first_one_had_is_the_same(xapi):
    data = statement(timestamp="2026-11-27T10:00:00+01:00")
    xapi.store(data)
    again = {key: value for key, value in data.items() if key != "timestamp"}
    assert xapi.post_statements(again).status_code == 200
    same_instant = {**data, "timestamp": "2026-11-27T09:00:00Z"}
    assert xapi.post_statements(same_instant).status_code == 200
    other_instant = {**data, "timestamp": "2026-11-27T09:00:01Z"}
    assert xapi.post_statements(other_instant).status_code == 409


def test_resend_of_a_row_hashed_by_an_earlier_comparison_form_is_the_same(xapi):
    """Rows stored before the default objectTypes were normalised keep their old hash: the
    re-send is compared with the stored statement itself.
    """
    data = _rich()
    xapi.store(data)
    Statement.objects.filter(statement_id=data["id"]).update(content_hash="0" * 64)
    assert xapi.post_statements(_drop_object_types(data)).status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.update(object={"objectType": "Agent", "mbox": "mailto:x@example.org"}),
        lambda s: s["actor"].update(objectType="Group", member=[mbox_agent()]),
        lambda s: s["context"]["instructor"].update(name="a name"),
        lambda s: s["context"]["contextActivities"]["parent"].append(activity()),
        lambda s: s.update(result={"success": True}),
    ],
)
def test_resend_with_any_other_difference_is_409(xapi, change):
    data = _rich()
    xapi.store(data)
    other = clone(_drop_object_types(data))
    change(other)
    assert xapi.post_statements(other).status_code == 409
    assert xapi.fetch(data["id"])["context"] == {
        **data["context"],
        "contextActivities": data["context"]["contextActivities"],
    }
