"""Forwarding on PostgreSQL: concurrent deliveries of one outbox row send it once."""

import threading
from collections import Counter

import pytest
from django.db import connection, transaction

from learners.lrs import forwarding
from learners.lrs.models import OutboxBatch
from learners.lrs.services import statements_store
from tests.factories.lrs_forwarding import ForwardingTargetFactory
from tests.learners.lrs.test_forwarding import RecordingLRS, make_statement

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_target():
    lrs = RecordingLRS().start()
    lrs.delay = 0.5
    yield lrs
    lrs.stop()


def test_outbox_deliver_concurrently_sends_once(slow_target, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks)")
    ForwardingTargetFactory(
        endpoint=slow_target.endpoint, username=slow_target.key, password=slow_target.secret
    )
    # Store without running the on-commit delivery: the workers below race for the row.
    monkeypatch.setattr(forwarding, "outbox_dispatch", lambda **kwargs: None)
    with transaction.atomic():
        ids = statements_store(statements=[make_statement(n=i) for i in range(5)])
    row = OutboxBatch.objects.get()
    outcomes = []
    start = threading.Barrier(4)

    def deliver():
        try:
            start.wait()
            outcomes.append(forwarding.outbox_deliver(outbox_id=row.pk).outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["delivered", "skipped", "skipped", "skipped"]
    assert slow_target.received == Counter({statement_id: 1 for statement_id in ids})
    row.refresh_from_db()
    assert row.attempts == 1
    assert row.delivered is not None
