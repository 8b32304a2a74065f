"""Races on PostgreSQL: identical POSTs at once store one row; conflicting ones get 409.

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/h4 pytest -m postgres.
"""

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from learners.lrs.models import Statement, StatementRelation
from tests.factories.lrs import LRSClientFactory, basic_auth, statement

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RACERS = 30


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL")


def _race(url: str, authorization: str, bodies: list[dict]) -> list[int]:
    barrier = threading.Barrier(len(bodies))

    def send(body):
        request = urllib.request.Request(
            url,
            data=json.dumps(body).encode(),
            method="POST",
            headers={
                "Authorization": authorization,
                "X-Experience-API-Version": "1.0.3",
                "Content-Type": "application/json",
            },
        )
        barrier.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(send, bodies))


def test_statements_identical_posts_racing_store_one_row(live_server):
    lrs_client = LRSClientFactory()
    data = statement()
    statuses = _race(f"{live_server.url}/xapi/statements", basic_auth(lrs_client), [data] * RACERS)
    assert statuses == [200] * RACERS
    assert Statement.objects.filter(statement_id=data["id"]).count() == 1
    assert StatementRelation.objects.filter(statement__statement_id=data["id"]).count() == 3


def test_statements_conflicting_posts_racing_store_one_and_409_the_rest(live_server):
    lrs_client = LRSClientFactory()
    data = statement()
    bodies = [
        {**data, "result": {"response": f"answer {n}"}} for n in range(RACERS)
    ]
    statuses = _race(f"{live_server.url}/xapi/statements", basic_auth(lrs_client), bodies)
    assert sorted(statuses) == [200] + [409] * (RACERS - 1)
    assert Statement.objects.filter(statement_id=data["id"]).count() == 1
