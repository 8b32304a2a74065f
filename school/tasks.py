"""Tasks owned by the composition root."""

import logging

from celery import shared_task
from django.core.cache import cache

logger = logging.getLogger(__name__)

HEARTBEAT_CACHE_KEY = "school:celery-heartbeat"


@shared_task
def heartbeat(marker: str = "beat") -> str:
    """Record that a worker ran a task; healthz and the worker tests read it back."""
    cache.set(HEARTBEAT_CACHE_KEY, marker, timeout=None)
    logger.info("heartbeat %s", marker)
    return marker
