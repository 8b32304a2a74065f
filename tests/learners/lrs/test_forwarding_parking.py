"""A forwarding row the target can never accept (issue 14, deliver 9): parked as failed after a
bounded number of refusals, shown in the admin with its error, retried by hand; the rows behind
it keep flowing; and the lease is fenced so a row still being sent is never sent twice at once.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learners.lrs import forwarding, tasks
from learners.lrs.models import OutboxBatch
from tests.factories.learners import UserFactory, sign_in_with_second_factor
from tests.factories.lrs_forwarding import ForwardingTargetFactory
from tests.learners.lrs.test_forwarding import RecordingLRS, age_outbox, make_statement, store

pytestmark = pytest.mark.django_db


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


def _refused_row(target_lrs, capture) -> tuple[OutboxBatch, str]:
    bad = make_statement(n=1)
    target_lrs.refuse_ids.add(bad["id"])
    store([bad], capture)  # attempt 1, on commit
    return OutboxBatch.objects.get(statement_ids=[bad["id"]]), bad["id"]


def test_a_refused_row_is_parked_after_bounded_attempts(
    target, target_lrs, django_capture_on_commit_callbacks
):
    row, _ = _refused_row(target_lrs, django_capture_on_commit_callbacks)
    outcomes = []
    for _ in range(forwarding.REFUSED_ATTEMPTS + 2):
        age_outbox()
        outcomes.append(forwarding.outbox_deliver(outbox_id=row.pk).outcome)
    row.refresh_from_db()
    assert outcomes[: forwarding.REFUSED_ATTEMPTS - 1] == ["failed"] * (
        forwarding.REFUSED_ATTEMPTS - 2
    ) + ["parked"]
    assert outcomes[forwarding.REFUSED_ATTEMPTS - 1 :] == ["skipped"] * 3
    assert row.failed is not None
    assert row.attempts == forwarding.REFUSED_ATTEMPTS
    assert row.last_error.startswith("HTTP 400")
    assert "refused by rule X" in row.last_error
    assert row.leased_until is None and row.lease_token is None
    # Parked rows are neither swept nor drained.
    age_outbox()
    assert forwarding.outbox_sweep() == []
    assert forwarding.target_drain(target_id=target.pk) == forwarding.Drain(0, more=False)


@pytest.mark.parametrize("status_mode", ["fail", "credentials"])
def test_an_outage_or_bad_credentials_is_never_parked(
    target, target_lrs, django_capture_on_commit_callbacks, status_mode
):
    """503s and 401s are about the target, not the row: retried with backoff for ever."""
    if status_mode == "fail":
        target_lrs.mode = "fail"
    else:
        target.password = "wrong-secret"
        target.save()
    store([make_statement()], django_capture_on_commit_callbacks)
    row = OutboxBatch.objects.get()
    for _ in range(forwarding.REFUSED_ATTEMPTS + 2):
        age_outbox()
        assert forwarding.outbox_deliver(outbox_id=row.pk).outcome == "failed"
    row.refresh_from_db()
    assert row.failed is None


def test_rows_behind_a_refused_row_keep_flowing(
    target, target_lrs, django_capture_on_commit_callbacks
):
    row, bad_id = _refused_row(target_lrs, django_capture_on_commit_callbacks)
    good = []
    for n in range(3):
        good += store([make_statement(n=n + 10)], django_capture_on_commit_callbacks)
    # Everything is now overdue; the drain meets the refused row first and goes on past it.
    OutboxBatch.objects.filter(delivered__isnull=True).update(
        created=timezone.now() - timedelta(minutes=5)
    )
    OutboxBatch.objects.filter(pk=row.pk).update(created=timezone.now() - timedelta(minutes=10))
    age_outbox(by=timedelta(minutes=2))
    drain = forwarding.target_drain(target_id=target.pk)
    assert drain.delivered >= 0
    assert set(good) <= set(target_lrs.received)
    assert bad_id not in target_lrs.received
    for _ in range(forwarding.REFUSED_ATTEMPTS):
        age_outbox()
        forwarding.target_drain(target_id=target.pk)
    row.refresh_from_db()
    assert row.failed is not None


def test_the_admin_lists_parked_rows_with_their_error_and_retries_them(
    admin_client, target, target_lrs, django_capture_on_commit_callbacks
):
    row, bad_id = _refused_row(target_lrs, django_capture_on_commit_callbacks)
    OutboxBatch.objects.filter(pk=row.pk).update(
        failed=timezone.now(), attempts=forwarding.REFUSED_ATTEMPTS
    )
    index = admin_client.get(reverse("forwarding_parked:index"))
    assert index.status_code == 200
    content = index.content.decode()
    assert "refused by rule X" in content
    assert target.name in content
    assert target.password not in content

    retry_url = reverse("forwarding_parked:retry", args=[row.pk])
    assert admin_client.get(retry_url).status_code == 405  # a change is a POST
    target_lrs.refuse_ids.clear()  # the cause is fixed at the target
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(retry_url)
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.failed is None
    assert row.delivered is not None
    assert target_lrs.received[bad_id] == 1


def test_parked_rows_need_forwarding_permission(client, target, target_lrs):
    row = OutboxBatch.objects.create(target=target, statement_ids=[], size=1, failed=timezone.now())
    editor = UserFactory(is_staff=True)
    sign_in_with_second_factor(client, editor)
    assert client.get(reverse("forwarding_parked:index")).status_code in (302, 403)
    response = client.post(reverse("forwarding_parked:retry", args=[row.pk]))
    assert response.status_code in (302, 403)
    row.refresh_from_db()
    assert row.failed is not None


def test_a_worker_that_lost_its_lease_stops_and_cannot_record(
    target, target_lrs, django_capture_on_commit_callbacks
):
    """The fence: once another claim holds the row, the first claim can neither renew, send
    another chunk, nor write an outcome over the new claim.
    """
    target_lrs.mode = "fail"
    store([make_statement()], django_capture_on_commit_callbacks)
    target_lrs.mode = "ok"
    age_outbox()
    first = forwarding._claim(outbox_id=OutboxBatch.objects.get().pk, ignore_backoff=True)
    assert first is not None
    # The first claim's lease runs out (a frozen worker); a second worker takes the row.
    OutboxBatch.objects.update(leased_until=timezone.now() - timedelta(seconds=1))
    second = forwarding._claim(outbox_id=first.pk, ignore_backoff=True)
    assert second is not None and second.lease_token != first.lease_token
    # The first worker wakes up: it may not send, nor renew, nor record.
    sent = forwarding._send(
        first.target, forwarding._statement_payloads(first.statement_ids), first
    )
    assert sent.lost_lease
    assert target_lrs.received == Counter()
    assert forwarding._renew(first) is False
    forwarding._record_failure(first, "stale")
    row = OutboxBatch.objects.get()
    assert row.lease_token == second.lease_token
    assert row.leased_until > timezone.now()
    assert row.last_error != "stale"


def test_a_running_send_holds_its_lease_for_longer_than_the_task_may_run():
    assert forwarding.LEASE.total_seconds() > tasks.SEND_TIME_LIMIT
    for task in (tasks.forwarding_deliver, tasks.forwarding_drain):
        assert task.time_limit == tasks.SEND_TIME_LIMIT
