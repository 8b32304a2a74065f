import os
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from school.tasks import HEARTBEAT_CACHE_KEY, heartbeat, sessions_clear_expired

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def wait_for(condition, *, seconds: float = 30):
    """Poll until condition() is truthy; return its value or fail after the timeout."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"gave up after {seconds} s waiting for the worker")


def test_task_enqueued_on_commit_runs_in_the_worker_process(celery_worker):
    cache.delete(HEARTBEAT_CACHE_KEY)
    marker = f"on-commit-{time.time_ns()}"

    with transaction.atomic():
        transaction.on_commit(lambda: heartbeat.delay(marker))
        time.sleep(0.5)
        assert cache.get(HEARTBEAT_CACHE_KEY) is None  # nothing is sent before the commit

    beat = wait_for(lambda: (b := cache.get(HEARTBEAT_CACHE_KEY)) and b["marker"] == marker and b)
    assert beat["pid"] != os.getpid()
    assert beat["pid"] == celery_worker["pid"]


def test_worker_writes_to_the_test_database(celery_worker):
    expired = SessionStore()
    expired["who"] = "gone"
    expired.set_expiry(timezone.now() - timedelta(days=1))
    expired.create()
    current = SessionStore()
    current["who"] = "stays"
    current.create()

    with transaction.atomic():
        transaction.on_commit(sessions_clear_expired.delay)

    wait_for(lambda: not Session.objects.filter(session_key=expired.session_key).exists())
    assert Session.objects.filter(session_key=current.session_key).exists()


def test_task_enqueued_in_a_rolled_back_transaction_is_never_sent(celery_worker):
    expired = SessionStore()
    expired.set_expiry(timezone.now() - timedelta(days=1))
    expired.create()

    with pytest.raises(RuntimeError), transaction.atomic():
        transaction.on_commit(sessions_clear_expired.delay)
        raise RuntimeError("the request failed")
    # The solo worker runs tasks in the order sent: once this heartbeat has run, a clean-up sent
    # before it would have run too.
    marker = f"after-rollback-{time.time_ns()}"
    heartbeat.delay(marker)
    wait_for(lambda: (b := cache.get(HEARTBEAT_CACHE_KEY)) and b["marker"] == marker)

    assert Session.objects.filter(session_key=expired.session_key).exists()
