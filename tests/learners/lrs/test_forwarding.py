"""Forwarding through the outbox: filters, delivery, retries, the sweeper, and nothing lost."""

import base64
import json
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from learners.lrs import forwarding, tasks
from learners.lrs.models import OutboxBatch
from learners.lrs.services import statements_store
from tests.factories.lrs import LRSClientFactory, xapi_headers
from tests.factories.lrs_forwarding import ForwardingTargetFactory

pytestmark = pytest.mark.django_db

VERB_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VERB_ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"
COURSES = "http://testserver/xapi/activities/course/"


class RecordingLRS:
    """A real HTTP LRS on a free local port that records every statement it receives.

    `mode` is "ok", "fail" (HTTP 503) or "conflict" (HTTP 409); `stop()` closes the port so
    connections are refused, and `start()` opens the same port again.
    """

    def __init__(self, key="forwarder", secret="s3cret-for-target"):  # noqa: S107
        self.key, self.secret = key, secret
        self.mode = "ok"
        self.delay = 0.0  # seconds before answering: a slow target
        self.received = Counter()  # statement id -> times received in an accepted request
        self.statements = {}  # statement id -> the JSON received
        self.requests = 0
        self.refuse_ids = set()  # a request holding any of these statement ids gets a 400
        self.port = None
        self._server = None

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}/xapi/"

    def start(self):
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, status, body=b""):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                lrs.requests += 1
                time.sleep(lrs.delay)
                expected = "Basic " + base64.b64encode(f"{lrs.key}:{lrs.secret}".encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self._reply(401, b'{"error": "bad credentials"}')
                if urlsplit(self.path).path.rstrip("/") != "/xapi/statements":
                    return self._reply(404)
                if self.headers.get("X-Experience-API-Version") is None:
                    return self._reply(400, b'{"error": "version header missing"}')
                if lrs.mode == "fail":
                    return self._reply(503, b'{"error": "down for maintenance"}')
                statements = json.loads(body)
                statements = statements if isinstance(statements, list) else [statements]
                if lrs.mode == "conflict":
                    return self._reply(409, b'{"error": "already stored with other content"}')
                if any(statement["id"] in lrs.refuse_ids for statement in statements):
                    return self._reply(400, b'{"error": "statement refused by rule X"}')
                for statement in statements:
                    lrs.received[statement["id"]] += 1
                    lrs.statements[statement["id"]] = statement
                return self._reply(200, json.dumps([s["id"] for s in statements]).encode())

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port or 0), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@pytest.fixture
def target_lrs():
    lrs = RecordingLRS().start()
    yield lrs
    lrs.stop()


@pytest.fixture
def target(target_lrs):
    return ForwardingTargetFactory(
        endpoint=target_lrs.endpoint, username=target_lrs.key, password=target_lrs.secret
    )


def make_statement(*, verb=VERB_COMPLETED, activity=None, n=0):
    return {
        "id": str(uuid.uuid4()),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": "http://testserver", "name": f"learner-{n % 7}"},
        },
        "verb": {"id": verb, "display": {"en-GB": verb.rsplit("/", 1)[-1]}},
        "object": {
            "objectType": "Activity",
            "id": activity or f"{COURSES}c{n % 3}/lesson/{n}",
            "definition": {"name": {"en-GB": f"Lesson {n}"}},
        },
        # Values tincan's own serialisation would rewrite: the target must get them as sent.
        "result": {"duration": "P1Y", "extensions": {"http://testserver/ext/note": None}},
        "timestamp": "2026-11-27T10:00:00.123Z",
    }


def store(statements, capture):
    """Store through the one write path and run what it queued on commit."""
    with capture(execute=True):
        ids = statements_store(statements=statements)
    return ids


def forwarding_callbacks(callbacks):
    """The on-commit callbacks forwarding registered (other parts of the LRS add their own)."""
    return [c for c in callbacks if c.__qualname__.startswith("outbox_enqueue.")]


def age_outbox(by=timedelta(minutes=2)):
    """Let time pass for the outbox: rows become due for the sweeper and backoffs expire."""
    past = timezone.now() - by
    OutboxBatch.objects.update(created=past)
    OutboxBatch.objects.filter(next_attempt__isnull=False).update(next_attempt=past)


# --- enqueue ------------------------------------------------------------------------------------


def test_outbox_enqueue_without_targets_writes_nothing(django_capture_on_commit_callbacks):
    ids = store([make_statement(n=i) for i in range(5)], django_capture_on_commit_callbacks)

    assert len(ids) == 5
    assert OutboxBatch.objects.count() == 0


def test_outbox_enqueue_one_row_per_batch_and_target(target, django_capture_on_commit_callbacks):
    ForwardingTargetFactory(enabled=False)
    statements = [make_statement(n=i) for i in range(100)]

    with django_capture_on_commit_callbacks() as callbacks:
        ids = statements_store(statements=statements)

    rows = list(OutboxBatch.objects.all())
    assert len(rows) == 1
    assert rows[0].target == target
    assert rows[0].statement_ids == ids
    assert rows[0].size == 100
    assert rows[0].delivered is None
    # One task for the whole batch, not one per statement.
    assert len(forwarding_callbacks(callbacks)) == 1


def test_outbox_enqueue_applies_verb_and_activity_filters(django_capture_on_commit_callbacks):
    by_verb = ForwardingTargetFactory(verb_filter=f"{VERB_ATTEMPTED}\n\n")
    by_activity = ForwardingTargetFactory(activity_filter=f"  {COURSES}c1/\n{COURSES}c2/lesson/5")
    statements = [
        make_statement(verb=VERB_ATTEMPTED, activity=f"{COURSES}c0/lesson/1"),
        make_statement(verb=VERB_COMPLETED, activity=f"{COURSES}c1/lesson/2"),
        make_statement(verb=VERB_COMPLETED, activity=f"{COURSES}c2/lesson/5"),
        make_statement(verb=VERB_COMPLETED, activity=f"{COURSES}c2/lesson/50x"),
    ]

    with django_capture_on_commit_callbacks():
        ids = statements_store(statements=statements)

    assert OutboxBatch.objects.get(target=by_verb).statement_ids == [ids[0]]
    # Prefixes: c2/lesson/5 also matches c2/lesson/50x.
    assert OutboxBatch.objects.get(target=by_activity).statement_ids == ids[1:]


def test_outbox_enqueue_skips_targets_no_statement_matches(django_capture_on_commit_callbacks):
    ForwardingTargetFactory(verb_filter="http://example.com/verbs/never")

    with django_capture_on_commit_callbacks() as callbacks:
        statements_store(statements=[make_statement()])

    assert OutboxBatch.objects.count() == 0
    assert forwarding_callbacks(callbacks) == []


def test_outbox_rows_roll_back_with_the_statements(target):
    bad = make_statement()
    del bad["verb"]

    with pytest.raises(Exception):  # noqa: B017 - whatever the validator raises
        statements_store(statements=[make_statement(), bad])

    assert OutboxBatch.objects.count() == 0


def test_forwarding_of_statements_posted_to_the_xapi_endpoint(
    client, target, target_lrs, django_capture_on_commit_callbacks
):
    lrs_client = LRSClientFactory()
    statements = [make_statement(n=i) for i in range(3)]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/xapi/statements",
            json.dumps(statements),
            content_type="application/json",
            **xapi_headers(lrs_client),
        )

    assert response.status_code == 200
    ids = response.json()
    assert target_lrs.received == Counter({statement_id: 1 for statement_id in ids})
    # The target gets the statement as this LRS stored it: with its authority and stored time.
    forwarded = target_lrs.statements[ids[0]]
    assert forwarded["authority"]["account"]["name"] == lrs_client.key
    assert "stored" in forwarded


# --- delivery -----------------------------------------------------------------------------------


def test_forwarding_delivers_exact_json_on_commit(
    target, target_lrs, django_capture_on_commit_callbacks
):
    statements = [make_statement(n=i) for i in range(3)]

    ids = store(statements, django_capture_on_commit_callbacks)

    assert set(target_lrs.received) == set(ids)
    assert all(count == 1 for count in target_lrs.received.values())
    sent = target_lrs.statements[ids[0]]
    assert sent["result"] == {"duration": "P1Y", "extensions": {"http://testserver/ext/note": None}}
    assert sent["verb"] == statements[0]["verb"]
    row = OutboxBatch.objects.get()
    assert row.delivered is not None
    assert row.attempts == 1
    assert row.last_error == ""


def test_forwarding_deliver_twice_sends_once(
    target, target_lrs, django_capture_on_commit_callbacks
):
    ids = store([make_statement()], django_capture_on_commit_callbacks)
    row = OutboxBatch.objects.get()

    again = tasks.forwarding_deliver.delay(row.pk).get()

    assert again == "skipped"
    assert target_lrs.received == Counter({ids[0]: 1})


def test_forwarding_deliver_skips_a_row_another_worker_holds(
    target, target_lrs, django_capture_on_commit_callbacks
):
    target_lrs.mode = "fail"
    store([make_statement()], django_capture_on_commit_callbacks)
    target_lrs.mode = "ok"
    row = OutboxBatch.objects.get()
    OutboxBatch.objects.filter(pk=row.pk).update(
        leased_until=timezone.now() + timedelta(minutes=1), next_attempt=None
    )

    assert forwarding.outbox_deliver(outbox_id=row.pk).outcome == "skipped"
    assert target_lrs.received == Counter()

    OutboxBatch.objects.filter(pk=row.pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    assert forwarding.outbox_deliver(outbox_id=row.pk).outcome == "delivered"


def test_forwarding_failure_records_attempts_error_and_backoff(
    target, target_lrs, django_capture_on_commit_callbacks
):
    target_lrs.mode = "fail"

    ids = store([make_statement(), make_statement()], django_capture_on_commit_callbacks)

    row = OutboxBatch.objects.get()
    assert row.delivered is None
    assert row.attempts == 1
    assert row.last_error.startswith("HTTP 503")
    assert "down for maintenance" in row.last_error
    assert row.leased_until is None
    assert row.next_attempt > timezone.now() + timedelta(seconds=5)
    assert target_lrs.received == Counter()
    # Within the backoff nothing is tried again.
    assert forwarding.outbox_deliver(outbox_id=row.pk).outcome == "skipped"

    target_lrs.mode = "ok"
    age_outbox()
    assert forwarding.outbox_deliver(outbox_id=row.pk).outcome == "delivered"
    assert set(target_lrs.received) == set(ids)
    row.refresh_from_db()
    assert (row.attempts, row.last_error) == (2, "")


def test_forwarding_treats_409_as_delivered(target, target_lrs, django_capture_on_commit_callbacks):
    target_lrs.mode = "conflict"

    store([make_statement()], django_capture_on_commit_callbacks)

    row = OutboxBatch.objects.get()
    assert row.delivered is not None
    assert row.last_error == ""


def test_forwarding_wrong_credentials_is_a_failure(
    target, target_lrs, django_capture_on_commit_callbacks
):
    target.password = "not-the-secret"
    target.save()

    store([make_statement()], django_capture_on_commit_callbacks)

    row = OutboxBatch.objects.get()
    assert row.delivered is None
    assert row.last_error.startswith("HTTP 401")
    assert "not-the-secret" not in row.last_error


def test_forwarding_disabled_target_keeps_rows_pending(
    target, target_lrs, django_capture_on_commit_callbacks
):
    target_lrs.mode = "fail"
    ids = store([make_statement()], django_capture_on_commit_callbacks)
    target_lrs.mode = "ok"
    target.enabled = False
    target.save()
    age_outbox()

    assert forwarding.outbox_sweep() == []
    assert target_lrs.received == Counter()

    target.enabled = True
    target.save()
    assert forwarding.outbox_sweep() == [target.pk]
    assert target_lrs.received == Counter({ids[0]: 1})


def test_backoff_seconds_doubles_and_is_capped():
    waits = [forwarding.backoff_seconds(n) for n in range(1, 12)]

    assert waits[:4] == [10, 20, 40, 80]
    assert waits == sorted(waits)
    assert max(waits) == forwarding.BACKOFF_CAP_SECONDS


def test_forwarding_deliver_task_retries_with_countdown_when_not_eager(
    target, target_lrs, django_capture_on_commit_callbacks, monkeypatch
):
    """Run the task body as a worker would (not eager): a failure asks Celery to retry later."""
    from celery.exceptions import Retry

    target_lrs.mode = "fail"
    with django_capture_on_commit_callbacks(execute=False):
        statements_store(statements=[make_statement()])
    row = OutboxBatch.objects.get()
    countdowns = []

    def fake_retry(*, countdown):
        countdowns.append(countdown)
        return Retry("retrying", when=countdown)

    monkeypatch.setattr(tasks.forwarding_deliver, "retry", fake_retry)
    tasks.forwarding_deliver.push_request(is_eager=False, retries=0)
    try:
        with pytest.raises(Retry):
            tasks.forwarding_deliver.run(row.pk)
    finally:
        tasks.forwarding_deliver.pop_request()

    assert countdowns == [forwarding.backoff_seconds(1)]


# --- sweeper and the "nothing lost" guarantee ---------------------------------------------------


def test_forwarding_loses_nothing_while_target_is_down(
    target, target_lrs, django_capture_on_commit_callbacks
):
    # The target refuses connections: nothing arrives, everything stays pending.
    target_lrs.stop()
    ids = []
    for batch in range(3):
        ids += store(
            [make_statement(n=batch * 10 + i) for i in range(10)],
            django_capture_on_commit_callbacks,
        )
    assert target_lrs.received == Counter()
    pending = OutboxBatch.objects.filter(delivered__isnull=True)
    assert pending.count() == 3
    assert sum(pending.values_list("size", flat=True)) == 30
    assert all("Error" in row.last_error for row in pending)

    # The sweeper runs while it is still down: still nothing lost, nothing delivered.
    age_outbox()
    forwarding.outbox_sweep()
    assert OutboxBatch.objects.filter(delivered__isnull=True).count() == 3

    # Now it answers 503 for a while.
    target_lrs.start()
    target_lrs.mode = "fail"
    age_outbox()
    forwarding.outbox_sweep()
    assert target_lrs.received == Counter()

    # Back for good: the next sweep delivers every statement, by id, exactly once.
    target_lrs.mode = "ok"
    age_outbox()
    assert forwarding.outbox_sweep() == [target.pk]
    assert target_lrs.received == Counter({statement_id: 1 for statement_id in ids})
    assert not OutboxBatch.objects.filter(delivered__isnull=True).exists()

    # And sweeping again sends nothing twice.
    age_outbox()
    assert forwarding.outbox_sweep() == []
    assert target_lrs.received == Counter({statement_id: 1 for statement_id in ids})


def test_forwarding_loses_nothing_when_the_broker_is_down_at_store_time(
    target, target_lrs, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.forwarding_deliver, "apply_async", broker_down)

    ids = store([make_statement(n=i) for i in range(4)], django_capture_on_commit_callbacks)

    assert len(ids) == 4  # the store succeeded
    assert "the sweeper will deliver it" in caplog.text
    assert target_lrs.received == Counter()
    assert OutboxBatch.objects.get().delivered is None

    monkeypatch.undo()
    forwarding.outbox_sweep()
    assert target_lrs.received == Counter()  # not yet a minute old

    age_outbox()
    forwarding.outbox_sweep()
    assert target_lrs.received == Counter({statement_id: 1 for statement_id in ids})


def test_target_drain_stops_at_first_failure_then_catches_up_in_order(
    target, target_lrs, django_capture_on_commit_callbacks
):
    target_lrs.mode = "fail"
    ids = []
    for batch in range(4):
        ids += store([make_statement(n=batch)], django_capture_on_commit_callbacks)
    requests_before = target_lrs.requests
    age_outbox()

    assert forwarding.target_drain(target_id=target.pk) == forwarding.Drain(0, more=False)
    assert target_lrs.requests == requests_before + 1  # one try, not one per row

    target_lrs.mode = "ok"
    age_outbox()
    # The rows that just failed are within their backoff, but once one goes through the rest do.
    OutboxBatch.objects.filter(pk=OutboxBatch.objects.order_by("created", "pk").first().pk).update(
        next_attempt=None
    )
    OutboxBatch.objects.exclude(next_attempt=None).update(
        next_attempt=timezone.now() + timedelta(hours=1)
    )
    assert forwarding.target_drain(target_id=target.pk) == forwarding.Drain(4, more=False)
    assert list(target_lrs.received) == ids  # oldest first


def test_target_drain_stops_when_its_time_is_up(
    target, target_lrs, django_capture_on_commit_callbacks
):
    target_lrs.mode = "fail"
    for batch in range(3):
        store([make_statement(n=batch)], django_capture_on_commit_callbacks)
    target_lrs.mode = "ok"
    age_outbox()

    assert forwarding.target_drain(target_id=target.pk, budget_seconds=0) == forwarding.Drain(
        0, more=True
    )
    assert forwarding.target_drain(target_id=target.pk) == forwarding.Drain(3, more=False)


def test_outbox_sweep_deletes_old_delivered_rows(
    target, target_lrs, django_capture_on_commit_callbacks
):
    store([make_statement()], django_capture_on_commit_callbacks)
    store([make_statement()], django_capture_on_commit_callbacks)
    old = OutboxBatch.objects.order_by("pk").first()
    OutboxBatch.objects.filter(pk=old.pk).update(delivered=timezone.now() - timedelta(days=8))

    forwarding.outbox_sweep()

    assert not OutboxBatch.objects.filter(pk=old.pk).exists()
    assert OutboxBatch.objects.count() == 1


def test_forwarding_sweep_is_in_the_beat_schedule(settings):
    entries = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "learners.lrs.tasks.forwarding_sweep"
    ]

    assert len(entries) == 1
    assert entries[0]["schedule"] <= 60
