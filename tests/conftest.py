import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import environ
import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# ORM calls from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Uploads go to a fresh folder per test, never the developer's var/."""
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser. Under CI a missing browser fails."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must apt-get install chromium")
        pytest.skip("apt-get install chromium to run browser tests")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


# --- A real Celery worker (marker celery_worker) --------------------------------------------


def _database_url(settings_dict: dict) -> str:
    """The URL of the database this test session uses (the test database, not the real one)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, tmp_path_factory):
    """Start `celery -A school worker` on the test database and the Redis broker, once per session.

    Needs CELERY_BROKER_URL=redis://... and DATABASE_URL=postgres://...; otherwise the tests are
    skipped locally and fail under CI. Worker and test share a Redis cache: CELERY_WORKER_CACHE_URL,
    by default the broker's db (give another db when tests may call cache.clear(), which flushes
    the whole db, queues included).
    """
    from django.db import connection

    from school.celery import app

    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith(("redis://", "rediss://")) or connection.vendor != "postgresql":
        message = (
            "real-worker tests need CELERY_BROKER_URL=redis://... and a PostgreSQL DATABASE_URL"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

    cache_url = os.environ.get("CELERY_WORKER_CACHE_URL", broker)
    nodename = f"school-test-{os.getpid()}@{socket.gethostname()}"
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "school.settings.test",
        "DATABASE_URL": _database_url(connection.settings_dict),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "TEST_CACHE_URL": cache_url,
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "school",
        "worker",
        "--pool=solo",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        f"--hostname={nodename}",
    ]
    with open(log_path, "w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, env=env, cwd=PROJECT_DIR, stdout=log, stderr=subprocess.STDOUT
        )

    app.conf.broker_url = broker
    try:
        deadline = time.monotonic() + 120  # a loaded 2-core machine imports Wagtail slowly
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"the Celery worker exited with {process.returncode}:\n{log_path.read_text()}"
                )
            if app.control.ping(destination=[nodename], timeout=0.5):
                break
            if time.monotonic() > deadline:
                pytest.fail(
                    f"the Celery worker did not answer within 120 s:\n{log_path.read_text()}"
                )
        yield {
            "pid": process.pid,
            "nodename": nodename,
            "broker": broker,
            "cache": cache_url,
            "log": log_path,
        }
    finally:
        process.terminate()  # warm shutdown: finish the current task, then exit
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def celery_worker(celery_worker_process, settings):
    """Send tasks to the real worker in this test (not eagerly) and share its Redis cache.

    Use with `@pytest.mark.django_db(transaction=True)` so on_commit callbacks really fire and
    the worker, on its own connection, sees committed rows.
    """
    from school.celery import app

    was_eager = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CACHES = {"default": environ.Env.cache_url_config(celery_worker_process["cache"])}
    app.conf.task_always_eager = False
    try:
        yield celery_worker_process
    finally:
        app.conf.task_always_eager = was_eager


# --- A real OpenID Connect provider (tests/sso_provider) ------------------------------------

SSO_PROVIDER_ID = "idp"


@pytest.fixture(scope="session")
def identity_provider_process(tmp_path_factory):
    """django-oauth-toolkit's OpenID provider in its own process on a loopback port, once."""
    from tests.sso_provider import process

    provider = process.start(
        tmp_path_factory.mktemp("sso-provider"), provider_ids=[SSO_PROVIDER_ID]
    )
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture
def identity_provider(identity_provider_process, settings):
    """The site configured for the running provider as base.py does from OIDC_SERVER_URL:
    the app in SOCIALACCOUNT_PROVIDERS and its origin in the CSP's form-action.
    """
    from school.settings.oidc import form_action_origins

    provider = identity_provider_process
    settings.SOCIALACCOUNT_PROVIDERS = provider.app_settings(SSO_PROVIDER_ID)
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {
            **policy["DIRECTIVES"],
            "form-action": ["'self'", *form_action_origins(provider.issuer, [])],
        },
    }
    return provider


@pytest.fixture(autouse=True)
def _cache_cleared_after_each_test():
    """Each test starts with an empty cache. allauth remembers a used TOTP code per user id in
    the cache, and ids repeat after a rollback, so a code from an earlier test would be refused.
    """
    yield
    from django.core.cache import cache

    cache.clear()
