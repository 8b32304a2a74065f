import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from school.celery import app
from school.tasks import HEARTBEAT_CACHE_KEY, heartbeat


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "vendor": connection.vendor}
    assert body["broker"] == {"ok": True, "mode": "eager"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.fixture
def broker_url(monkeypatch):
    """Point the Celery app at another broker for one test.

    Celery prefers the CELERY_BROKER_URL environment variable to its configuration, so set both.
    """
    original = app.conf.broker_url

    def use(url):
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        app.conf.broker_url = url

    yield use
    app.conf.broker_url = original


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client, settings, broker_url):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    broker_url("redis://127.0.0.1:1/0")  # nothing listens on port 1

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] is True


@pytest.mark.django_db
def test_healthz_checks_a_real_broker_connection(client, settings, broker_url):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    broker_url("memory://")

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == {"ok": True, "mode": "broker"}


def test_healthz_is_503_when_the_database_is_down():
    # A fresh process whose database file cannot be opened: the check must report it, not crash.
    code = (
        "import json, django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz'); print(json.dumps({'http': r.status_code, **r.json()}))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env={
            "PATH": os.environ["PATH"],
            "ENV_FILE": "/dev/null",
            "DJANGO_SETTINGS_MODULE": "school.settings.test",
            "DATABASE_URL": "sqlite:////nonexistent-directory/school.sqlite3",
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout.strip().splitlines()[-1])
    assert body["http"] == 503
    assert body["status"] == "unavailable"
    assert body["database"] == {"ok": False, "error": "OperationalError"}
    assert body["broker"]["ok"] is True


@pytest.mark.django_db
def test_healthz_shows_the_last_worker_heartbeat(client):
    cache.delete(HEARTBEAT_CACHE_KEY)
    assert client.get("/healthz").json()["worker"] == {"last_heartbeat": None}

    beat = heartbeat.delay("test").get()

    assert client.get("/healthz").json()["worker"] == {"last_heartbeat": beat["at"]}
    assert beat["pid"] == os.getpid()  # eager: ran in this process


def test_healthz_refuses_other_methods(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_healthz_reports_the_coverage_run_and_forwarding_backlog_ages(client):
    from datetime import timedelta

    from django.utils import timezone

    from reporting.models import AggregationState
    from tests.factories.lrs_forwarding import OutboxBatchFactory

    empty = client.get("/healthz").json()["backlog"]
    assert empty == {
        "coverage_last_run": {"at": None, "age_seconds": None},
        "forwarding_oldest_pending": {"at": None, "age_seconds": None},
        "forwarding_parked": 0,
    }

    now = timezone.now()
    AggregationState.objects.update_or_create(
        name="coverage", defaults={"last_run_finished": now - timedelta(minutes=7)}
    )
    OutboxBatchFactory(created=now - timedelta(minutes=3))
    OutboxBatchFactory(created=now - timedelta(hours=2), failed=now)  # parked: not "pending"
    OutboxBatchFactory(created=now - timedelta(hours=3), delivered=now)

    response = client.get("/healthz")
    assert response.status_code == 200
    backlog = response.json()["backlog"]
    assert 7 * 60 <= backlog["coverage_last_run"]["age_seconds"] < 8 * 60
    assert 3 * 60 <= backlog["forwarding_oldest_pending"]["age_seconds"] < 4 * 60
    assert backlog["forwarding_parked"] == 1
