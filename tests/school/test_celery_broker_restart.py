"""A worker rides out a broker restart (issue 14, deliver 7).

Starts a throw-away redis-server, a worker on it (prefork, as in production, with gossip and
mingle on), restarts the redis-server under the running worker, and then sees a task sent
after the restart run in that same worker process.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid

import pytest
from celery import Celery
from django.core.cache.backends.redis import RedisCache
from django.db import connection

from school.tasks import HEARTBEAT_CACHE_KEY
from tests.conftest import PROJECT_DIR, _database_url

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

PORT = int(os.environ.get("BROKER_RESTART_TEST_PORT", "6393"))
READY_SECONDS = 150  # a loaded two-core machine imports Wagtail slowly


def _needs():
    problem = None
    if shutil.which("redis-server") is None:
        problem = "needs the redis-server binary"
    elif connection.vendor != "postgresql":
        problem = "needs a PostgreSQL DATABASE_URL (the worker uses the test database)"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)


def _redis(tmp_path):
    process = subprocess.Popen(  # noqa: S603 - the system's redis-server, fixed arguments
        [
            shutil.which("redis-server"),
            "--port",
            str(PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
            return process
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("the throw-away redis-server did not start")
            time.sleep(0.1)


def _stop(process, sig=signal.SIGTERM):
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_for_beat(cache, marker, worker, log_path, seconds, send):
    """Wait for the heartbeat task with this marker to run, sending it again every 10 s: a
    message published before the worker has (re)declared its queue on an empty Redis is
    routed nowhere, which is the broker's behaviour, not the worker's.
    """
    deadline = time.monotonic() + seconds
    next_send = time.monotonic()
    while time.monotonic() < deadline:
        if time.monotonic() >= next_send:
            send(marker)
            next_send = time.monotonic() + 10
        beat = cache.get(HEARTBEAT_CACHE_KEY)
        if beat and beat["marker"] == marker:
            return beat
        if worker.poll() is not None:
            pytest.fail(f"the worker exited with {worker.returncode}:\n{log_path.read_text()}")
        time.sleep(0.2)
    pytest.fail(f"no heartbeat {marker} within {seconds} s:\n{log_path.read_text()[-3000:]}")


def test_worker_survives_a_redis_restart_and_runs_the_next_task(tmp_path):
    _needs()
    broker = f"redis://127.0.0.1:{PORT}/0"
    cache_url = f"redis://127.0.0.1:{PORT}/1"
    redis = _redis(tmp_path)
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "school.settings.test",
        "DATABASE_URL": _database_url(connection.settings_dict),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "TEST_CACHE_URL": cache_url,
    }
    with open(log_path, "w") as log:
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "school",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                f"--hostname=restart-{uuid.uuid4().hex[:8]}@%h",
            ],
            env=env,
            cwd=PROJECT_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    sender = Celery("restart-test", broker=broker)
    cache = RedisCache(cache_url, {})
    try:

        def send(marker):
            sender.send_task("school.tasks.heartbeat", args=[marker])

        first = f"before-{uuid.uuid4()}"
        _wait_for_beat(cache, first, worker, log_path, READY_SECONDS, send)

        _stop(redis)  # the broker goes away under the connected worker ...
        time.sleep(5)
        assert worker.poll() is None, log_path.read_text()
        redis = _redis(tmp_path)  # ... and comes back empty, as after a restart

        second = f"after-{uuid.uuid4()}"
        beat = _wait_for_beat(cache, second, worker, log_path, 120, send)
        assert worker.poll() is None
        assert "Unrecoverable error" not in log_path.read_text()
        assert beat["marker"] == second
    finally:
        sender.close()
        _stop(worker)
        _stop(redis)
