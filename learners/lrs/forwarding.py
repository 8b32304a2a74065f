"""Forwarding stored statements to other LRSs, through an outbox that loses nothing.

- `outbox_enqueue` runs inside the transaction that stores the statements: one INSERT for the
  whole batch (one row per matching target), and after commit one Celery task per row.
- `outbox_deliver` sends one row's statements with `tincan.RemoteLRS.save_statements`. A 2xx or
  a 409 (the target already holds those ids) counts as delivered; anything else is recorded on
  the row (attempts, last error) and retried later with exponential backoff. A row the target
  refuses outright (a 4xx other than 409 and 429) on `REFUSED_ATTEMPTS` attempts is parked as
  failed: shown with its error in the admin, retried only by hand (`outbox_retry`), and the
  target's later rows keep flowing past it.
- `outbox_sweep` (every minute, from Celery beat) re-queues what is still pending after a minute,
  so a target down for a day, or a broker or worker down when the statements were stored, only
  delays delivery.

A row is claimed with a lease (taken under `select_for_update(skip_locked=True)`) and a fresh
token, so two workers never send the same row at once and a crashed worker's claim expires
after `LEASE`. The lease is renewed before each chunk and every outcome is written only under
the claim's token (fencing): a worker that lost its lease stops. The tasks' hard time limits
are shorter than `LEASE`, so no send outlives the lease that covers it. Delivery is therefore
at least once: a worker killed mid-send leaves a row that is sent again when its lease expires
(the target answers 409 or stores the same ids, which xAPI makes harmless).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from tincan import RemoteLRS, StatementList

from .models import ForwardingTarget, OutboxBatch, Statement

logger = logging.getLogger(__name__)

# Pending rows are re-queued by the sweeper once they are this old.
SWEEP_AFTER = timedelta(minutes=1)
# How long a delivery may hold a row before another worker may take it over: longer than the
# forwarding tasks' hard time limit (tasks.SEND_TIME_LIMIT), so a send still running always
# holds its lease; short enough that a killed worker's row is sent again within minutes.
LEASE = timedelta(seconds=200)
# Attempts a target may refuse a row (4xx other than 409/429) before it is parked as failed.
REFUSED_ATTEMPTS = 3
# Exponential backoff after a failed delivery: 10 s, 20 s, 40 s ... capped at one hour.
BACKOFF_BASE_SECONDS = 10
BACKOFF_CAP_SECONDS = 3600
# Statements per HTTP request to a target.
CHUNK_SIZE = 500
# A drain works through a target's backlog for this long, then queues itself again.
DRAIN_BUDGET_SECONDS = 50
DRAIN_PAGE = 200
# Delivered rows are kept this long for the admin's history, then deleted by the sweeper.
KEEP_DELIVERED = timedelta(days=7)
# Error text kept on a row (the target's response body can be long).
ERROR_MAX_CHARS = 1000


@dataclass(frozen=True)
class Delivery:
    """What happened to one outbox row: delivered, failed (retry later) or skipped."""

    outcome: str  # "delivered", "failed", "parked" or "skipped"
    retry_in: int | None = None
    error: str = ""
    # The target answered and refused the row: the target is up, so later rows may go on.
    refused: bool = False


def backoff_seconds(attempts: int) -> int:
    """Seconds to wait after the given number of failed attempts (exponential, capped)."""
    return min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_CAP_SECONDS)


def _canonical(statement_id) -> str:
    return str(statement_id if isinstance(statement_id, uuid.UUID) else uuid.UUID(statement_id))


def outbox_enqueue(*, statements: Sequence) -> list[int]:
    """Write the outbox rows for statements just saved, in the caller's transaction.

    One row per enabled target that any of the statements passes, all in one INSERT; after the
    transaction commits, one delivery task per row. With no enabled target this is one query.
    Returns the new rows' ids.
    """
    if not statements:
        return []
    targets = list(ForwardingTarget.objects.filter(enabled=True))
    if not targets:
        return []
    rows = []
    now = timezone.now()
    for target in targets:
        if target.verb_filter.strip() or target.activity_filter.strip():
            ids = [
                _canonical(s.statement_id)
                for s in statements
                if target.matches(verb_id=s.verb_id, activity_id=s.activity_id)
            ]
        else:
            ids = [_canonical(s.statement_id) for s in statements]
        if ids:
            rows.append(OutboxBatch(target=target, statement_ids=ids, size=len(ids), created=now))
    if not rows:
        return []
    created = OutboxBatch.objects.bulk_create(rows)
    row_ids = [row.pk for row in created]
    if None in row_ids:  # a backend that cannot return ids: the sweeper delivers them
        return []
    transaction.on_commit(lambda: outbox_dispatch(outbox_ids=row_ids))
    return row_ids


def outbox_dispatch(*, outbox_ids: Sequence[int]) -> None:
    """Queue one delivery task per outbox row; never fail the caller.

    Runs after the statements have committed. If the broker is unreachable the rows stay pending
    and the sweeper queues them once it is back, so the error is logged, not raised.
    """
    from .tasks import forwarding_deliver

    for outbox_id in outbox_ids:
        try:
            forwarding_deliver.apply_async(args=[outbox_id], retry=False)
        except Exception:
            logger.warning(
                "Could not queue forwarding of outbox row %s; the sweeper will deliver it",
                outbox_id,
                exc_info=True,
            )


def _claim(*, outbox_id: int, ignore_backoff: bool) -> OutboxBatch | None:
    """Take the row for delivery, or None if it is delivered, disabled or held by another worker."""
    now = timezone.now()
    with transaction.atomic():
        rows = (
            OutboxBatch.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("target")
            .filter(pk=outbox_id, delivered__isnull=True, failed__isnull=True, target__enabled=True)
            .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        )
        if not ignore_backoff:
            rows = rows.filter(Q(next_attempt__isnull=True) | Q(next_attempt__lte=now))
        row = rows.first()
        if row is None:
            return None
        row.leased_until = now + LEASE
        row.lease_token = uuid.uuid4()
        row.attempts += 1
        row.last_attempt = now
        row.save(update_fields=["leased_until", "lease_token", "attempts", "last_attempt"])
    return row


def _held(row: OutboxBatch):
    """The row while this claim still holds it (the fence every outcome is written through)."""
    return OutboxBatch.objects.filter(pk=row.pk, lease_token=row.lease_token)


def _renew(row: OutboxBatch) -> bool:
    """Extend this claim's lease; False when another claim has taken the row over."""
    return bool(_held(row).update(leased_until=timezone.now() + LEASE))


def _statement_payloads(statement_ids: Sequence[str]) -> list[str]:
    """The stored JSON text of these statements, in the given order (missing ids left out)."""
    found = dict(
        Statement.objects.filter(statement_id__in=list(statement_ids)).values_list(
            "statement_id", "payload"
        )
    )
    found = {str(statement_id): payload for statement_id, payload in found.items()}
    missing = [sid for sid in statement_ids if sid not in found]
    if missing:  # erased since: nothing left to send for those
        logger.warning("%s statements of an outbox row no longer exist", len(missing))
    return [found[sid] for sid in statement_ids if sid in found]


class _ExactStatements(StatementList):
    """A StatementList that serialises to the statements exactly as stored.

    tincan's own serialisation is lossy (it rewrites `P1Y` as 365 days and drops extensions whose
    value is null), and a forwarded copy must be the statement the learner's tool sent.
    """

    _props = ["payloads"]  # tincan objects accept only declared attributes

    def __init__(self, payloads: list[str]):
        super().__init__()
        self._payloads = payloads

    def to_json(self, version=None):
        # http.client sends a str body as Latin-1: escape anything beyond ASCII.
        body = "[" + ",".join(self._payloads) + "]"
        return body if body.isascii() else json.dumps(json.loads(body), separators=(",", ":"))


@dataclass(frozen=True)
class _Sent:
    error: str = ""  # "" when the target holds them all
    refused: bool = False  # the target answered 4xx (not 409/429): sending again will not help
    lost_lease: bool = False


# 4xx answers that are not about the row: "already have it" (409), "not now" (408, 429), and
# the target's configuration here (credentials 401/403/407, endpoint 404/405), which an
# operator fixes once for every row: retried with backoff like an outage, never parked.
NOT_ABOUT_THE_ROW = frozenset({401, 403, 404, 405, 407, 408, 409, 429})


def _refusal(status: int) -> bool:
    """A 4xx refusing this row's content (400, 413, 422 ...): sending it again will not help."""
    return 400 <= status < 500 and status not in NOT_ABOUT_THE_ROW


def _send(target: ForwardingTarget, statements: list[str], row: OutboxBatch) -> _Sent:
    """Send to the target chunk by chunk, renewing the lease before each one."""
    lrs = RemoteLRS(
        endpoint=target.endpoint if target.endpoint.endswith("/") else target.endpoint + "/",
        version="1.0.3",
        username=target.username or None,
        password=target.password or None,
    )
    for start in range(0, len(statements), CHUNK_SIZE):
        if not _renew(row):
            return _Sent("The lease was taken over by another claim.", lost_lease=True)
        chunk = _ExactStatements(statements[start : start + CHUNK_SIZE])
        try:
            response = lrs.save_statements(chunk)
        except (OSError, ValueError) as error:  # refused, reset, timed out, bad URL
            return _Sent(f"{type(error).__name__}: {error}")
        status = response.response.status
        # 409: the target already holds a statement with one of these ids: nothing to resend.
        if not (response.success or status == 409):
            body = response.data or ""
            if isinstance(body, bytes):
                body = body.decode("utf-8", "replace")
            return _Sent(f"HTTP {status}: {body}", refused=_refusal(status))
    return _Sent()


def outbox_deliver(*, outbox_id: int, ignore_backoff: bool = False) -> Delivery:
    """Deliver one outbox row to its target, at most once at a time; safe to run twice.

    A delivered or parked row, a disabled target or a row another worker holds is skipped. On
    failure the attempt and the error are recorded and the row waits `backoff_seconds(attempts)`;
    a row the target refused on `REFUSED_ATTEMPTS` attempts is parked as failed.
    """
    row = _claim(outbox_id=outbox_id, ignore_backoff=ignore_backoff)
    if row is None:
        return Delivery("skipped")
    target = row.target
    statements = _statement_payloads(row.statement_ids)
    try:
        sent = _send(target, statements, row) if statements else _Sent()
    except Exception as unexpected:  # e.g. a soft time limit: release the row, then re-raise
        _record_failure(row, f"{type(unexpected).__name__}: {unexpected}")
        raise
    error = sent.error
    if sent.lost_lease:
        logger.warning("Outbox row %s: lease lost mid-send; left to its new claim", row.pk)
        return Delivery("skipped", error=error)
    if not error:
        _held(row).update(
            delivered=timezone.now(),
            leased_until=None,
            lease_token=None,
            last_error="",
            next_attempt=None,
        )
        logger.info("Forwarded %s statements to %s (outbox row %s)", row.size, target, row.pk)
        return Delivery("delivered")
    if sent.refused and row.attempts >= REFUSED_ATTEMPTS:
        _held(row).update(
            failed=timezone.now(),
            leased_until=None,
            lease_token=None,
            last_error=error[:ERROR_MAX_CHARS],
            next_attempt=None,
        )
        logger.error(
            "Forwarding outbox row %s to %s parked as failed after %s refusals: %s",
            row.pk,
            target,
            row.attempts,
            error[:200],
        )
        return Delivery("parked", error=error, refused=True)
    wait = _record_failure(row, error)
    logger.warning(
        "Forwarding outbox row %s to %s failed (attempt %s), retrying in %ss: %s",
        row.pk,
        target,
        row.attempts,
        wait,
        error[:200],
    )
    return Delivery("failed", retry_in=wait, error=error, refused=sent.refused)


def _record_failure(row: OutboxBatch, error: str) -> int:
    wait = backoff_seconds(row.attempts)
    _held(row).update(
        leased_until=None,
        lease_token=None,
        last_error=error[:ERROR_MAX_CHARS],
        next_attempt=timezone.now() + timedelta(seconds=wait),
    )
    return wait


@transaction.atomic
def outbox_retry(*, outbox_id: int) -> OutboxBatch:
    """Put a parked row back in the queue (its cause fixed at the target): its attempts count
    from zero again and a delivery is queued after commit. A row not parked is left as it is.
    """
    row = OutboxBatch.objects.select_for_update().get(pk=outbox_id)
    if row.failed is None:
        return row
    row.failed = None
    row.attempts = 0
    row.next_attempt = None
    row.save(update_fields=["failed", "attempts", "next_attempt"])
    transaction.on_commit(lambda: outbox_dispatch(outbox_ids=[row.pk]))
    return row


@dataclass(frozen=True)
class Drain:
    """What a drain did: rows delivered, and whether rows are left it had no time for."""

    delivered: int
    more: bool


def target_drain(*, target_id: int, budget_seconds: float = DRAIN_BUDGET_SECONDS) -> Drain:
    """Deliver a target's overdue rows, oldest first, until the target fails or time is up.

    Rows waiting out a backoff are tried too once a delivery has succeeded: the target is
    evidently back, so a day's backlog does not wait for each row's own backoff to end. A row
    the target refuses (4xx) does not stop the drain: the target is up, the next rows go on.
    """
    deadline = time.monotonic() + budget_seconds
    delivered = 0
    healthy = False
    cutoff = timezone.now() - SWEEP_AFTER
    pending = (
        OutboxBatch.objects.filter(target_id=target_id, delivered__isnull=True, failed__isnull=True)
        .filter(Q(created__lte=cutoff) | Q(attempts__gt=0))
        .order_by("created", "pk")
    )
    after = None
    while True:
        page = pending
        if after is not None:  # keyset paging: rows skipped here stay pending, so no OFFSET
            page = page.filter(Q(created__gt=after[0]) | Q(created=after[0], pk__gt=after[1]))
        rows = list(page.values_list("created", "pk")[:DRAIN_PAGE])
        if not rows:
            return Drain(delivered, more=False)
        for created, outbox_id in rows:
            if time.monotonic() > deadline:
                return Drain(delivered, more=True)
            result = outbox_deliver(outbox_id=outbox_id, ignore_backoff=healthy)
            if result.outcome == "failed" and not result.refused:
                return Drain(delivered, more=False)
            if result.outcome == "delivered":
                delivered += 1
                healthy = True
            after = (created, outbox_id)


def outbox_sweep() -> list[int]:
    """Queue a drain of every enabled target with rows pending for over a minute.

    A target's rows are drained by one task, oldest first, rather than one task per row: a
    target down for a day has a large backlog, and a dead target then costs one try a minute.

    Also deletes delivered rows older than `KEEP_DELIVERED`. Returns the target ids queued.
    """
    from .tasks import forwarding_drain

    now = timezone.now()
    stale = OutboxBatch.objects.filter(delivered__lt=now - KEEP_DELIVERED)
    while True:
        ids = list(stale.values_list("pk", flat=True)[:5000])
        if not ids:
            break
        OutboxBatch.objects.filter(pk__in=ids).delete()
    due = (
        OutboxBatch.objects.filter(
            delivered__isnull=True,
            failed__isnull=True,
            target__enabled=True,
            created__lte=now - SWEEP_AFTER,
        )
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .values_list("target_id", flat=True)
        .distinct()
    )
    queued = []
    for target_id in due:
        try:
            forwarding_drain.apply_async(args=[target_id], retry=False)
            queued.append(target_id)
        except Exception:
            logger.warning("Could not queue a forwarding drain of target %s", target_id)
    return queued
