"""Races on PostgreSQL: identical POSTs at once store one row; conflicting ones get 409.

Each racer is a thread with its own database connection sending the request through the whole
Django stack. Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/h4 pytest -m postgres.
"""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from learners.lrs.models import Statement, StatementRelation
from tests.factories.lrs import LRSClientFactory, statement, xapi_headers

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 30


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")


def _race(lrs_client, bodies: list[dict]) -> list[int]:
    barrier = threading.Barrier(len(bodies))
    headers = xapi_headers(lrs_client)

    def send(body):
        client = Client()
        try:
            barrier.wait()
            response = client.post(
                "/xapi/statements", json.dumps(body), content_type="application/json", **headers
            )
            return response.status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(send, bodies))


def test_statements_identical_posts_racing_store_one_row():
    data = statement()
    statuses = _race(LRSClientFactory(), [data] * RACERS)
    assert statuses == [200] * RACERS
    assert Statement.objects.filter(statement_id=data["id"]).count() == 1
    # The authority (actor and object are the statement's columns): one row, not thirty.
    assert StatementRelation.objects.filter(statement__statement_id=data["id"]).count() == 1


def test_statements_conflicting_posts_racing_store_one_and_409_the_rest():
    data = statement()
    bodies = [{**data, "result": {"response": f"answer {n}"}} for n in range(RACERS)]
    statuses = _race(LRSClientFactory(), bodies)
    assert sorted(statuses) == [200] + [409] * (RACERS - 1)
    assert Statement.objects.filter(statement_id=data["id"]).count() == 1


def test_statements_overlapping_batches_in_opposite_orders_do_not_deadlock():
    batch = [statement() for _ in range(50)]
    bodies = [batch if n % 2 else list(reversed(batch)) for n in range(10)]
    statuses = _race(LRSClientFactory(), bodies)
    assert statuses == [200] * 10
    assert Statement.objects.count() == 50
