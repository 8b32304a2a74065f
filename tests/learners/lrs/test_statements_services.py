import json
import uuid

import pytest
from django.db import transaction

from learners.lrs.identity import agent_ifi
from learners.lrs.models import Statement, StatementRelation
from learners.lrs.services import (
    StatementConflictError,
    StatementForbiddenError,
    VoidRight,
    platform_authority,
    statements_store,
)
from learners.lrs.validation import StatementValidationError
from tests.factories.lrs import activity, agent, statement

pytestmark = pytest.mark.django_db

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
AUTHORITY = {"objectType": "Agent", "account": {"homePage": "http://testserver", "name": "k"}}
OWN = VoidRight.OWN  # what a client may void: the statements it stored


def voiding(target_id: str, **overrides) -> dict:
    return statement(
        verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": target_id}, **overrides
    )


def test_statements_store_returns_ids_in_order_and_sets_lrs_properties():
    first, second = statement(), statement(id=None)
    ids = statements_store(statements=[first, second], authority=AUTHORITY)
    assert ids[0] == first["id"]
    assert uuid.UUID(ids[1])
    stored = Statement.objects.get(statement_id=ids[1]).exact_json()
    assert stored["id"] == ids[1]
    assert stored["authority"] == AUTHORITY
    assert stored["version"] == "1.0.0"
    assert stored["timestamp"] == stored["stored"]


def test_statements_store_overwrites_a_given_authority():
    data = statement(authority=agent("someone-else"))
    statements_store(statements=[data], authority=AUTHORITY)
    assert Statement.objects.get().exact_json()["authority"] == AUTHORITY


def test_statements_store_without_authority_uses_the_platform():
    statements_store(statements=[statement()])
    row = Statement.objects.get()
    assert row.exact_json()["authority"] == platform_authority()
    assert row.authority_ifi == agent_ifi(platform_authority())


def test_statements_store_fills_indexed_columns():
    registration = str(uuid.uuid4())
    data = statement(
        result={"success": True, "completion": False, "score": {"scaled": 0.75}},
        context={"registration": registration},
    )
    statements_store(statements=[data], authority=AUTHORITY)
    row = Statement.objects.get()
    assert row.actor_ifi == "mbox:mailto:learner1@example.gov.uk"
    assert row.verb_id == data["verb"]["id"]
    assert row.activity_id == data["object"]["id"]
    assert str(row.registration) == registration
    assert (row.result_success, row.result_completion, row.result_score_scaled) == (
        True,
        False,
        0.75,
    )
    assert row.voided is False


def test_statements_store_keeps_exact_json_and_numbers():
    data = statement(result={"score": {"min": 0.12123434, "raw": 12.125, "max": 45.45}})
    statements_store(statements=[data], authority=AUTHORITY)
    stored = Statement.objects.get().exact_json()
    assert stored["result"] == data["result"]
    assert stored["actor"] == data["actor"]


def test_statements_store_returns_context_activities_as_arrays():
    parent = {"id": "http://example.com/course"}
    statements_store(
        statements=[statement(context={"contextActivities": {"parent": parent}})],
        authority=AUTHORITY,
    )
    stored = Statement.objects.get().exact_json()
    assert stored["context"]["contextActivities"]["parent"] == [parent]


def test_statements_store_batch_with_one_bad_statement_stores_nothing():
    bad = statement(verb={"id": "not an iri"})
    with pytest.raises(StatementValidationError) as caught:
        statements_store(statements=[statement(), statement(), bad], authority=AUTHORITY)
    assert caught.value.property == "[2].verb.id"
    assert "Statement 2" in caught.value.message
    assert Statement.objects.count() == 0
    assert StatementRelation.objects.count() == 0


def test_statements_store_rejects_repeated_ids_in_a_batch():
    data = statement()
    with pytest.raises(StatementValidationError):
        statements_store(statements=[data, dict(data)], authority=AUTHORITY)
    assert Statement.objects.count() == 0


def test_statements_store_same_id_same_content_is_idempotent():
    data = statement(timestamp="2026-11-27T10:00:00Z")
    statements_store(statements=[data], authority=AUTHORITY)
    # Same statement: other key order, other timestamp notation for the same instant, other
    # authority and version (the LRS sets those).
    again = json.loads(json.dumps(data))
    again["timestamp"] = "2026-11-27T11:00:00+01:00"
    again["version"] = "1.0.3"
    ids = statements_store(statements=[again], authority=platform_authority())
    assert ids == [data["id"]]
    assert Statement.objects.count() == 1


def test_statements_store_resend_with_new_statements_inside_a_callers_transaction():
    # The first insert fails on the stored id; inside the caller's transaction the retry rolls
    # back to a savepoint and stores only the new statement, once, with its relation rows.
    stored = statement(context={"contextActivities": {"parent": [activity("parent")]}})
    fresh = statement(context={"contextActivities": {"parent": [activity("parent")]}})
    with transaction.atomic():
        statements_store(statements=[stored], authority=AUTHORITY)
        ids = statements_store(statements=[stored, fresh], authority=AUTHORITY)
    assert ids == [stored["id"], fresh["id"]]
    assert Statement.objects.count() == 2
    assert StatementRelation.objects.filter(usage="parent").count() == 2


def test_deleting_a_statement_deletes_its_relation_rows():
    # Relation rows have no database constraint (ADR 0002); Django cascades the delete.
    data = statement(context={"contextActivities": {"parent": [activity("parent")]}})
    statements_store(statements=[data, statement()], authority=AUTHORITY)
    Statement.objects.filter(statement_id=data["id"]).delete()
    assert not StatementRelation.objects.filter(usage="parent").exists()
    assert StatementRelation.objects.filter(usage="authority").count() == 1


def test_statements_store_same_id_other_content_conflicts_and_stores_nothing():
    data = statement()
    statements_store(statements=[data], authority=AUTHORITY)
    changed = {**data, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}
    fresh = statement()
    with pytest.raises(StatementConflictError) as caught:
        statements_store(statements=[fresh, changed], authority=AUTHORITY)
    assert caught.value.statement_id == data["id"]
    assert not Statement.objects.filter(statement_id=fresh["id"]).exists()
    assert Statement.objects.get().verb_id == data["verb"]["id"]


def test_statements_store_ignores_activity_definitions_when_comparing():
    data = statement(object=activity("x", name={"en-GB": "X"}))
    statements_store(statements=[data], authority=AUTHORITY)
    again = {**data, "object": activity("x", name={"en-GB": "Renamed"})}
    statements_store(statements=[again], authority=AUTHORITY)
    assert Statement.objects.count() == 1


def test_statements_store_relations_cover_context_authority_and_substatement():
    sub = {
        "objectType": "SubStatement",
        "actor": agent("sub"),
        "verb": {"id": "http://example.com/verbs/plans"},
        "object": {"id": "http://example.com/sub-activity"},
        "context": {"instructor": agent("teacher")},
    }
    data = statement(
        object=sub,
        context={
            "contextActivities": {
                "parent": [{"id": "http://example.com/course"}],
                "grouping": [{"id": "http://example.com/course"}],
            },
            "team": {"objectType": "Group", "member": [agent("member")]},
        },
    )
    statements_store(statements=[data], authority=AUTHORITY)
    relations = set(StatementRelation.objects.values_list("kind", "value"))
    assert ("activity", "http://example.com/course") in relations
    assert ("activity", "http://example.com/sub-activity") in relations
    assert ("agent", "mbox:mailto:learnersub@example.gov.uk") in relations
    assert ("agent", "mbox:mailto:learnerteacher@example.gov.uk") in relations
    assert ("agent", "mbox:mailto:learnermember@example.gov.uk") in relations
    assert ("agent", agent_ifi(AUTHORITY)) in relations
    # One row per distinct value: the course appears twice in the statement.
    assert StatementRelation.objects.filter(value="http://example.com/course").count() == 1


def test_statements_store_voiding_marks_the_target_voided():
    target = statement()
    statements_store(statements=[target], authority=AUTHORITY)
    statements_store(statements=[voiding(target["id"])], authority=AUTHORITY, void_right=OWN)
    assert Statement.objects.get(statement_id=target["id"]).voided is True


def test_statements_store_target_arriving_after_its_voiding_is_voided():
    target = statement()
    statements_store(statements=[voiding(target["id"])], authority=AUTHORITY, void_right=OWN)
    statements_store(statements=[target], authority=AUTHORITY)
    assert Statement.objects.get(statement_id=target["id"]).voided is True


def test_statements_store_voiding_a_voiding_statement_is_rejected():
    target = statement()
    first = voiding(target["id"])
    statements_store(statements=[target, first], authority=AUTHORITY, void_right=OWN)
    with pytest.raises(StatementValidationError) as caught:
        statements_store(statements=[voiding(first["id"])], authority=AUTHORITY, void_right=OWN)
    assert caught.value.rule == "xAPI 1.0.3 Data 2.3.2"
    assert Statement.objects.count() == 2
    assert Statement.objects.get(statement_id=first["id"]).voided is False


def test_statements_store_actor_restriction_rejects_other_actors():
    mine = statement(actor=agent("me"))
    with pytest.raises(StatementForbiddenError):
        statements_store(
            statements=[mine, statement(actor=agent("you"))],
            authority=AUTHORITY,
            actor_restriction=frozenset([agent_ifi(agent("me"))]),
        )
    assert Statement.objects.count() == 0
    statements_store(
        statements=[mine],
        authority=AUTHORITY,
        actor_restriction=frozenset([agent_ifi(agent("me"))]),
    )
    assert Statement.objects.count() == 1


def test_statements_store_records_activity_definitions():
    from learners.lrs.documents.selectors import activity_object

    # Outside the site's own IRIs: those are defined only by the platform (issue 10).
    data = statement(
        object={
            "objectType": "Activity",
            "id": "http://www.example.com/activities/defined",
            "definition": {"name": {"en-GB": "Defined lesson"}},
        }
    )
    statements_store(statements=[data], authority=AUTHORITY)
    found = activity_object(activity_id=data["object"]["id"])
    assert found["definition"]["name"] == {"en-GB": "Defined lesson"}
