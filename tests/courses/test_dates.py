from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone

from courses.dates import govuk_date, govuk_datetime, govuk_time


@pytest.mark.parametrize(
    ("hour", "minute", "shown"),
    [
        (1, 31, "1:31am"),
        (10, 0, "10am"),
        (12, 0, "midday"),
        (0, 0, "midnight"),
        (12, 5, "12:05pm"),
        (0, 5, "12:05am"),
        (23, 59, "11:59pm"),
        (17, 30, "5:30pm"),
    ],
)
def test_govuk_time_follows_the_style_guide(hour, minute, shown):
    assert govuk_time(datetime(2026, 12, 7, hour, minute)) == shown


def test_govuk_datetime_is_in_the_current_time_zone():
    summer = datetime(2026, 7, 1, 0, 31, tzinfo=UTC)  # 1:31am in London (BST)
    with timezone.override("Europe/London"):
        assert govuk_datetime(summer) == "1 July 2026, 1:31am"
        assert govuk_date(summer) == "1 July 2026"
    assert govuk_time(None) == ""


def test_filters_render_times_without_full_stops():
    when = datetime(2026, 12, 7, 1, 31, tzinfo=UTC)
    html = Template("{% load govuk_dates %}{{ when|govuk_datetime }} {{ when|govuk_time }}").render(
        Context({"when": when})
    )
    assert html == "7 December 2026, 1:31am 1:31am"
    assert "a.m." not in html


def test_no_template_formats_times_with_the_date_filter():
    """Every time shown goes through govuk_time/govuk_datetime ('a' prints 'a.m.')."""
    import re
    from pathlib import Path

    from django.conf import settings

    templates = Path(settings.BASE_DIR) / "templates"
    offenders = [
        str(path)
        for path in templates.rglob("*.*")
        if path.suffix in {".html", ".txt"}
        and re.search(r'\|date:"[^"]*[aAgGhHi]', path.read_text())
    ]
    assert not offenders
