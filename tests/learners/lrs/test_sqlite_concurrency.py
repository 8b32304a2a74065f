"""The embedded default under concurrent writes (issue 14, deliver 3).

`make run` serves the LRS from SQLite with the development server, which handles each request
in its own thread. This starts that server (school.settings.dev, the same database options) on
a file holding a copy of the migrated test database, then sends statements and document writes
from many threads at once: every one must succeed, none may answer "database is locked".
"""

import base64
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from learners.lrs.models import StateDocument, Statement
from tests.factories.lrs import DEFAULT_SECRET, LRSClientFactory

pytestmark = pytest.mark.django_db(transaction=True)

PORT = int(os.environ.get("LRS_SQLITE_TEST_PORT", "8203"))
THREADS = 8
REQUESTS_EACH = 4


@pytest.fixture
def sqlite_server(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the embedded default is SQLite")
    lrs = LRSClientFactory()
    # The dev settings do not know the tests' MD5 hasher; few iterations keep checks cheap.
    lrs.secret_hash = PBKDF2PasswordHasher().encode(DEFAULT_SECRET, "saltsalt", iterations=1000)
    lrs.save(update_fields=["secret_hash"])
    path = tmp_path / "db.sqlite3"
    target = sqlite3.connect(path)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.close()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "school.settings.dev",
        "DATABASE_URL": f"sqlite:///{path}",
        "CELERY_TASK_ALWAYS_EAGER": "true",
    }
    env.pop("CELERY_BROKER_URL", None)
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
        [
            sys.executable,
            "manage.py",
            "runserver",
            f"127.0.0.1:{PORT}",
            "--noreload",
            "--skip-checks",
        ],
        cwd=Path(settings.BASE_DIR),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "server.log").open("wb"),
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                socket.create_connection(("127.0.0.1", PORT), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "server.log").read_text()) from None
                time.sleep(0.3)
        yield f"http://127.0.0.1:{PORT}", lrs, path
    finally:
        process.terminate()
        process.wait(timeout=30)


def _send(url: str, method: str, body: bytes, auth: str) -> tuple[int, str]:
    request = urllib.request.Request(  # noqa: S310 - a local test server
        url,
        data=body,
        method=method,
        headers={
            "Authorization": auth,
            "X-Experience-API-Version": "1.0.3",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")[:300]


def test_concurrent_statement_and_document_writes_on_sqlite(sqlite_server):
    base, lrs, path = sqlite_server
    auth = "Basic " + base64.b64encode(f"{lrs.key}:{DEFAULT_SECRET}".encode()).decode()

    def worker(n: int) -> list[tuple[int, str]]:
        results = []
        for i in range(REQUESTS_EACH):
            statement = {
                "id": str(uuid.uuid4()),
                "actor": {"mbox": f"mailto:learner{n}@example.org"},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"},
                "object": {
                    "id": f"http://example.com/activities/{i % 3}",
                    "definition": {"name": {"en-GB": f"activity {n}-{i}"}},
                },
                "context": {"contextActivities": {"parent": [{"id": "http://example.com/c"}]}},
            }
            results.append(
                _send(f"{base}/xapi/statements", "POST", json.dumps(statement).encode(), auth)
            )
            query = (
                "activityId=http%3A%2F%2Fexample.com%2Factivities%2F1&stateId=s"
                f"&agent=%7B%22mbox%22%3A%22mailto%3Alearner{n % 4}%40example.org%22%7D"
            )
            results.append(
                _send(
                    f"{base}/xapi/activities/state?{query}",
                    "POST",
                    json.dumps({f"k{n}-{i}": i}).encode(),
                    auth,
                )
            )
        return results

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = [item for batch in pool.map(worker, range(THREADS)) for item in batch]
    failures = [item for item in outcomes if item[0] >= 300]
    assert failures == [], failures[:5]
    stored = sqlite3.connect(path)
    try:
        count = "SELECT count(*) FROM {}"
        statements = stored.execute(count.format(Statement._meta.db_table)).fetchone()
        documents = stored.execute(count.format(StateDocument._meta.db_table)).fetchone()
    finally:
        stored.close()
    assert statements == (THREADS * REQUESTS_EACH,)
    assert documents == (4,)
