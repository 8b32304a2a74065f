"""Dates and times in GOV.UK style (the GOV.UK style guide, 'Times'): 1:31am, 10am, midday,
midnight; '7 December 2026, 1:31am'. The one home for the rule: templates use the
`govuk_dates` filters, Python code (error messages, emails) calls these functions.
"""

from datetime import datetime

from django.utils import timezone


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def govuk_time(value: datetime | None) -> str:
    """'1:31am', '10am' (no ':00'), 'midday', 'midnight', in the current time zone."""
    if value is None:
        return ""
    value = _local(value)
    if value.minute == 0 and value.hour in (0, 12):
        return "midnight" if value.hour == 0 else "midday"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


def govuk_date(value: datetime | None) -> str:
    """'7 December 2026'."""
    if value is None:
        return ""
    value = _local(value)
    return f"{value.day} {value:%B %Y}"


def govuk_datetime(value: datetime | None) -> str:
    """'7 December 2026, 1:31am'."""
    if value is None:
        return ""
    return f"{govuk_date(value)}, {govuk_time(value)}"
