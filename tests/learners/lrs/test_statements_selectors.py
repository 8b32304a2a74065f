import pytest

from learners.lrs.identity import agent_ifi
from learners.lrs.models import StatementRelation
from learners.lrs.selectors import (
    StatementFilters,
    statements_about_activity,
    statements_page,
)
from learners.lrs.services import statements_store
from tests.factories.lrs import activity, agent, statement

pytestmark = pytest.mark.django_db

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
COURSE = {"id": "http://testserver/xapi/activities/course/c1"}


def _store(*items):
    for item in items:
        statements_store(statements=[item])
    return items


def test_statements_page_agent_pages_merge_actor_and_object_in_order():
    me = agent("me")
    items = _store(
        statement(actor=me),
        statement(actor=agent("x"), object=me),
        statement(actor=agent("y")),
        statement(actor=me),
        statement(actor=agent("z"), object=me),
    )
    expected = [items[4]["id"], items[3]["id"], items[1]["id"], items[0]["id"]]
    filters = StatementFilters(agent_ifi=agent_ifi(me))
    seen, cursor = [], None
    while True:
        rows, cursor = statements_page(filters=filters, limit=2, cursor=cursor)
        seen += [str(row.statement_id) for row in rows]
        if cursor is None:
            break
    assert seen == expected
    filters.ascending = True
    rows, _ = statements_page(filters=filters, limit=10)
    assert [str(row.statement_id) for row in rows] == list(reversed(expected))


def test_statements_page_related_activities_pages_through_relations():
    items = _store(
        *[
            statement(object=activity(f"l{n}"), context={"contextActivities": {"parent": [COURSE]}})
            for n in range(3)
        ],
        statement(object=activity("unrelated")),
    )
    filters = StatementFilters(activity_id=COURSE["id"], related_activities=True)
    first, cursor = statements_page(filters=filters, limit=2)
    second, end = statements_page(filters=filters, limit=2, cursor=cursor)
    assert [str(r.statement_id) for r in first + second] == [
        items[2]["id"],
        items[1]["id"],
        items[0]["id"],
    ]
    assert end is None


def test_statements_about_activity_leave_out_voided():
    me = agent("me")
    kept, voided = _store(
        statement(actor=me, context={"contextActivities": {"parent": [COURSE]}}),
        statement(actor=me, context={"contextActivities": {"parent": [COURSE]}}),
    )
    _store(
        statement(verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": voided["id"]})
    )
    about_course = statements_about_activity(activity_id=COURSE["id"])
    assert [str(s.statement_id) for s in about_course] == [kept["id"]]
    assert not statements_about_activity(activity_id=COURSE["id"], related=False).exists()


def _all_pages(filters, limit=2):
    seen, cursor = [], None
    while True:
        rows, cursor = statements_page(filters=filters, limit=limit, cursor=cursor)
        seen += [str(row.statement_id) for row in rows]
        if cursor is None:
            return seen


def test_related_activities_merge_the_object_column_and_context_rows_page_by_page():
    items = _store(
        statement(object=COURSE),
        statement(object=activity("l1"), context={"contextActivities": {"parent": [COURSE]}}),
        statement(object=activity("unrelated")),
        statement(object=COURSE, context={"contextActivities": {"grouping": [COURSE]}}),
        statement(object=activity("l2"), context={"contextActivities": {"category": [COURSE]}}),
    )
    expected = [items[4]["id"], items[3]["id"], items[1]["id"], items[0]["id"]]
    filters = StatementFilters(activity_id=COURSE["id"], related_activities=True)
    assert _all_pages(filters) == expected
    filters.ascending = True
    assert _all_pages(filters) == list(reversed(expected))


def test_related_agents_merge_actor_object_authority_instructor_and_members():
    me = agent("me")
    team = {"objectType": "Group", "member": [agent("other"), me]}
    items = _store(
        statement(actor=me),
        statement(actor=agent("x"), object=me),
        statement(actor=agent("y")),
        statement(actor=agent("z"), context={"instructor": me}),
        statement(actor=team),
    )
    by_authority = statements_store(
        statements=[statement(actor=agent("w"))], authority=me, void_right=None
    )
    filters = StatementFilters(agent_ifi=agent_ifi(me), related_agents=True)
    expected = [*by_authority, items[4]["id"], items[3]["id"], items[1]["id"], items[0]["id"]]
    assert _all_pages(filters) == expected


def test_the_statement_own_actor_and_object_are_not_relation_rows():
    _store(statement(actor=agent("me"), object=activity("only")))
    usages = set(StatementRelation.objects.values_list("usage", flat=True))
    assert usages == {"authority"}
