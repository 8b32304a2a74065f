"""`field__any`: the batch lookups of the statement write path (learners.lrs.lookups)."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learners.lrs.models import Statement
from learners.lrs.services import statements_store
from tests.factories.lrs import statement

pytestmark = pytest.mark.django_db


def _stored(count: int) -> list[str]:
    return statements_store(statements=[statement() for _ in range(count)])


def test_any_finds_the_same_rows_as_in_for_a_large_list():
    ids = _stored(3)
    wanted = [*ids[:2], *(str(uuid.uuid4()) for _ in range(120))]
    found = set(Statement.objects.filter(statement_id__any=wanted).values_list("pk", flat=True))
    expected = set(Statement.objects.filter(statement_id__in=wanted).values_list("pk", flat=True))
    assert found == expected and len(found) == 2


def test_any_of_nothing_is_no_rows_and_no_query():
    _stored(1)
    with CaptureQueriesContext(connection) as queries:
        assert list(Statement.objects.filter(statement_id__any=[])) == []
    assert len(queries) == 0


def test_any_ignores_none_and_takes_a_subquery():
    ids = _stored(2)
    assert Statement.objects.filter(statement_id__any=[None, ids[0]]).count() == 1
    subquery = Statement.objects.filter(statement_id=ids[1]).values("statement_id")
    assert Statement.objects.filter(statement_id__any=subquery).count() == 1


@pytest.mark.postgres
def test_any_binds_one_array_parameter_on_postgresql():
    wanted = [str(uuid.uuid4()) for _ in range(120)]
    with CaptureQueriesContext(connection) as queries:
        list(Statement.objects.filter(statement_id__any=wanted))
    assert "= ANY(" in queries[0]["sql"]
