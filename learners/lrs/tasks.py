"""LRS background work: forwarding stored statements to other LRSs.

Every task takes ids and is safe to run twice: a delivered outbox row is skipped, and a row held
by another worker is left alone (see `learners.lrs.forwarding`).
"""

import logging

from celery import shared_task

from . import forwarding

logger = logging.getLogger(__name__)

# Hard time limit of every task that sends: shorter than forwarding.LEASE, so a send that is
# still running always holds its row's lease and no other worker sends the row meanwhile.
SEND_TIME_LIMIT = 180
SEND_SOFT_TIME_LIMIT = 150

# After this many retries a failing row waits for the sweeper (one drain per target a minute),
# rather than every row of a long outage keeping its own chain of retries in the broker.
MAX_RETRIES = 6


@shared_task(
    bind=True,
    max_retries=MAX_RETRIES,
    soft_time_limit=SEND_SOFT_TIME_LIMIT,
    time_limit=SEND_TIME_LIMIT,
)
def forwarding_deliver(self, outbox_id: int) -> str:
    """Deliver one outbox row (one stored batch for one target); retry with backoff on failure.

    Queued on commit of the transaction that stored the statements. Eager runs (tests, a
    development server) do not retry in-line: the sweeper tries again a minute later.
    """
    result = forwarding.outbox_deliver(outbox_id=outbox_id)
    if result.outcome == "failed" and not self.request.is_eager:
        # A refusal is retried too, until it is parked after forwarding.REFUSED_ATTEMPTS.
        if self.request.retries < self.max_retries:
            raise self.retry(countdown=result.retry_in)
        logger.warning("Outbox row %s left to the sweeper after %s retries", outbox_id, MAX_RETRIES)
    return result.outcome


@shared_task(soft_time_limit=SEND_SOFT_TIME_LIMIT, time_limit=SEND_TIME_LIMIT)
def forwarding_drain(target_id: int) -> int:
    """Deliver a target's overdue outbox rows, oldest first, stopping at the first failure.

    A backlog too long for one run continues in a new task rather than waiting for the sweeper.
    """
    result = forwarding.target_drain(target_id=target_id)
    if result.more:
        forwarding_drain.apply_async(args=[target_id])
    return result.delivered


@shared_task
def forwarding_sweep() -> list[int]:
    """Re-queue every outbox row still undelivered after a minute (Celery beat, every minute)."""
    return forwarding.outbox_sweep()
