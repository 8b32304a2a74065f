"""Tasks owned by the composition root: the worker heartbeat and session housekeeping."""

import logging
import os
import socket
from importlib import import_module

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

HEARTBEAT_CACHE_KEY = "school:celery-heartbeat"


@shared_task
def heartbeat(marker: str = "beat") -> dict:
    """Record in the shared cache which worker process last ran a task, and when.

    /healthz shows it; the real-worker tests use it to prove a task ran in another process.
    """
    beat = {
        "marker": marker,
        "pid": os.getpid(),
        "hostname": socket.gethostname(),
        "at": timezone.now().isoformat(),
    }
    cache.set(HEARTBEAT_CACHE_KEY, beat, timeout=None)
    logger.info("heartbeat %s from pid %s", marker, beat["pid"])
    return beat


@shared_task
def sessions_clear_expired() -> None:
    """Delete expired sessions through the session engine, as `manage.py clearsessions` does.

    Safe to run twice: the second run finds nothing expired.
    """
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    logger.info("cleared expired sessions")
