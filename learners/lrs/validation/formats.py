"""Format checks for the special data types of xAPI 1.0.3 (Data 4): IRIs, UUIDs, language tags,
ISO 8601 timestamps and durations, mailto IRIs, SHA sums. Compiled once; each check is a match.
"""

import re
from datetime import UTC, datetime, timedelta, timezone

_HEX = "[0-9a-fA-F]"
UUID_RE = re.compile(rf"^{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}$")
# An absolute IRI: a scheme, a colon and something, with no whitespace or characters RFC 3987
# excludes (Data 4.3: IRIs must be absolute, with a scheme).
IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
MAILTO_RE = re.compile(r"^mailto:[^@\s:/]+@[^@\s/]+$")
SHA1_RE = re.compile(r"^[0-9a-fA-F]{40}$")
SHA2_RE = re.compile(r"^[0-9a-fA-F]{56}$|^[0-9a-fA-F]{64}$|^[0-9a-fA-F]{96}$|^[0-9a-fA-F]{128}$")
# RFC 5646 language tags, loosely: subtags of letters and digits, the first alphabetic.
LANGUAGE_RE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
VERSION_RE = re.compile(r"^1\.0(\.\d+)?$")
MEDIA_TYPE_RE = re.compile(r"^[\w!#$&^.+-]+/[\w!#$&^.+-]+(\s*;.*)?$")
TIMESTAMP_RE = re.compile(
    r"^(?P<year>\d{4})-?(?P<month>\d{2})-?(?P<day>\d{2})"
    r"T(?P<hour>\d{2}):?(?P<minute>\d{2})(?::?(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?"
    r"(?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_NUM = r"\d+(?:[.,]\d+)?"
DURATION_RE = re.compile(
    rf"^P(?!$)(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}W)?(?:{_NUM}D)?"
    rf"(?:T(?=\d)(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?$"
)
NEGATIVE_ZERO_OFFSETS = ("-00", "-0000", "-00:00")


def is_uuid(value) -> bool:
    return isinstance(value, str) and UUID_RE.match(value) is not None


def is_iri(value) -> bool:
    return isinstance(value, str) and IRI_RE.match(value) is not None


def parse_timestamp(value) -> datetime | None:
    """An aware datetime for an ISO 8601 timestamp, or None when it is not one.

    Data 4.5: a timestamp is ISO 8601 (extended or basic); "-00:00" is not a valid offset; a
    timestamp without a time zone is read as UTC.
    """
    if not isinstance(value, str):
        return None
    match = TIMESTAMP_RE.match(value)
    if match is None:
        return None
    parts = match.groupdict()
    zone = parts["zone"]
    if zone in NEGATIVE_ZERO_OFFSETS:
        return None
    fraction = parts["fraction"] or "0"
    try:
        result = datetime(
            int(parts["year"]),
            int(parts["month"]),
            int(parts["day"]),
            int(parts["hour"]),
            int(parts["minute"]),
            int(parts["second"] or 0),
            int((fraction + "000000")[:6]),
            tzinfo=UTC,
        )
    except ValueError:
        return None
    if zone and zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
        if hours > 23 or minutes > 59:
            return None
        offset = timedelta(hours=hours, minutes=minutes) * sign
        result = result.replace(tzinfo=timezone(offset))
    return result


def is_duration(value) -> bool:
    return isinstance(value, str) and DURATION_RE.match(value) is not None
