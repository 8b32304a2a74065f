import io
import logging

import pytest

from tests.factories.learners import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    """Everything the configured console handlers (ours and Django's) would print."""
    output = io.StringIO()
    handlers = {
        handler
        for name in ("django.request", "django", "")
        for handler in logging.getLogger(name).handlers
        if type(handler) is logging.StreamHandler  # not pytest's capture handlers
    }
    previous = {handler: handler.setStream(output) for handler in handlers}
    yield output
    for handler, stream in previous.items():
        handler.setStream(stream)


def test_a_403_logs_one_line_without_a_traceback(client, console):
    client.force_login(UserFactory())

    assert client.get("/challenges/review/").status_code == 403

    printed = console.getvalue()
    assert "Traceback" not in printed
    lines = [line for line in printed.splitlines() if "Forbidden" in line]
    assert len(lines) == 1 and "/challenges/review/" in lines[0]


def test_a_500_keeps_its_traceback(console):
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("django.request").error(
            "Internal Server Error: /x", exc_info=True, extra={"status_code": 500}
        )
    assert "Traceback" in console.getvalue()
