"""Forwarding with a real Celery worker on Redis and PostgreSQL: nothing lost while the target is
down, every statement delivered exactly once when it is back.

Run with DATABASE_URL=postgres://... CELERY_BROKER_URL=redis://.../N pytest -m celery_worker.
"""

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from learners.lrs import tasks
from learners.lrs.models import OutboxBatch
from learners.lrs.services import statements_store
from tests.factories.lrs_forwarding import ForwardingTargetFactory
from tests.learners.lrs.test_forwarding import RecordingLRS, make_statement

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def wait_until(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_forwarding_with_a_real_worker_loses_nothing_while_target_is_down(celery_worker):
    lrs = RecordingLRS().start()
    try:
        target = ForwardingTargetFactory(
            endpoint=lrs.endpoint, username=lrs.key, password=lrs.secret
        )
        lrs.stop()  # connections refused
        ids = []
        for batch in range(3):
            with transaction.atomic():
                ids += statements_store(
                    statements=[make_statement(n=batch * 10 + i) for i in range(10)]
                )

        # The worker tried each batch once, failed, and left it pending with the error.
        assert wait_until(lambda: not OutboxBatch.objects.filter(attempts=0).exists())
        assert wait_until(
            lambda: all(
                row.last_error and row.leased_until is None for row in OutboxBatch.objects.all()
            )
        )
        assert OutboxBatch.objects.filter(delivered__isnull=True).count() == 3
        assert lrs.received == Counter()

        # Back up; the rows are over a minute old and past their backoff: the sweeper runs.
        lrs.start()
        past = timezone.now() - timedelta(minutes=2)
        OutboxBatch.objects.update(created=past, next_attempt=past)
        assert tasks.forwarding_sweep.delay() is not None

        assert wait_until(lambda: not OutboxBatch.objects.filter(delivered=None).exists())
        # Celery's own retries (scheduled while the target was down) may still fire: they
        # must find the rows delivered and send nothing again.
        time.sleep(1)
        assert lrs.received == Counter({statement_id: 1 for statement_id in ids})
        assert target.outbox.filter(delivered__isnull=False).count() == 3
    finally:
        lrs.stop()
