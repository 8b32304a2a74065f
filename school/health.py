"""Liveness checks of the services the platform needs."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from learners.lrs.selectors import outbox_backlog
from reporting.selectors import coverage_last_run_finished
from school.tasks import HEARTBEAT_CACHE_KEY


def database_status() -> dict:
    """Run a trivial query on the default database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def broker_status() -> dict:
    """Open a connection to the Celery broker; eager mode has no broker to check."""
    from school.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"ok": True, "mode": "eager"}
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "mode": "broker"}


def worker_status() -> dict:
    """When a worker last ran the heartbeat task (informational: beat runs it every 5 minutes).

    A missing heartbeat does not make the service unhealthy: web pages work without a worker.
    """
    try:
        beat = cache.get(HEARTBEAT_CACHE_KEY)
    except Exception as exc:  # noqa: BLE001 - a cache outage must not break the health check
        return {"last_heartbeat": None, "error": exc.__class__.__name__}
    return {"last_heartbeat": beat["at"] if beat else None}


def _age(moment) -> dict:
    if moment is None:
        return {"at": None, "age_seconds": None}
    return {"at": moment.isoformat(), "age_seconds": int((timezone.now() - moment).total_seconds())}


def backlog_status() -> dict:
    """Alert-worthy state, for monitoring to threshold (informational: it never makes /healthz
    503). The coverage job runs every 5 minutes; forwarding sends within a minute normally.
    """
    try:
        backlog = outbox_backlog()
        return {
            "coverage_last_run": _age(coverage_last_run_finished()),
            "forwarding_oldest_pending": _age(backlog["oldest_pending"]),
            "forwarding_parked": backlog["parked"],
        }
    except Exception as exc:  # noqa: BLE001 - the database check reports the outage itself
        return {"error": exc.__class__.__name__}
