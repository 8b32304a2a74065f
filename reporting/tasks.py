"""Coverage jobs. Each calls one service and is safe to run twice (the services recompute and
hold the job's lock).
"""

import logging

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from . import selectors, services

logger = logging.getLogger(__name__)

# New evidence schedules one update this many seconds later; more evidence in the meantime
# rides on the same run.
UPDATE_DELAY_SECONDS = 30
_SCHEDULED_KEY = "reporting:coverage-update-scheduled"


@shared_task
def coverage_update() -> dict:
    """Fold the statements stored since the watermark into the coverage."""
    cache.delete(_SCHEDULED_KEY)
    summary = services.coverage_update()
    logger.info("coverage update: %s", summary)
    if summary.statements or summary.rebuilt:
        coverage_cubes_warm.delay()
    return summary.__dict__


@shared_task
def coverage_cubes_warm() -> int:
    """After a run changed the figures: protect and cache the cubes HR leads will open."""
    warmed = selectors.published_cubes_warm()
    logger.info("coverage cubes warmed: %s", warmed)
    return warmed


@shared_task
def coverage_rebuild() -> dict:
    """Recompute the coverage from all statements (a periodic check of the incremental job)."""
    summary = services.coverage_rebuild()
    logger.info("coverage rebuild: %s", summary)
    if summary.rebuilt:
        coverage_cubes_warm.delay()
    return summary.__dict__


@shared_task
def coverage_snapshot_previous_month() -> int:
    """On the first of the month, keep the figures as the month just ended."""
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    written = services.coverage_snapshot_build(period=last_month)
    logger.info("coverage snapshots for %s: %s", last_month, written)
    return written


def schedule_coverage_update(statements) -> None:
    """Called after statements are stored: one delayed update for a burst of statements."""
    if cache.add(_SCHEDULED_KEY, True, timeout=UPDATE_DELAY_SECONDS * 4):
        try:
            coverage_update.apply_async(countdown=UPDATE_DELAY_SECONDS)
        except Exception:  # noqa: BLE001 - the beat schedule catches up if the broker is down
            cache.delete(_SCHEDULED_KEY)
            logger.warning("could not schedule a coverage update", exc_info=True)
