"""Format checks for the special data types of xAPI 1.0.3 (Data 4): IRIs, UUIDs, language tags,
ISO 8601 timestamps and durations, mailto IRIs, SHA sums. Compiled once; each check is a match.
"""

import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

_HEX = "[0-9a-fA-F]"
UUID_RE = re.compile(rf"^{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}$")
# An absolute IRI: a scheme, a colon and something, with no whitespace or characters RFC 3987
# excludes (Data 4.3: IRIs must be absolute, with a scheme).
IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
MAILTO_RE = re.compile(r"^mailto:[^@\s:/]+@[^@\s/]+$")
SHA1_RE = re.compile(r"^[0-9a-fA-F]{40}$")
SHA2_RE = re.compile(r"^[0-9a-fA-F]{56}$|^[0-9a-fA-F]{64}$|^[0-9a-fA-F]{96}$|^[0-9a-fA-F]{128}$")
# RFC 5646 section 2.1 Language-Tag (well-formed, case-insensitive): a langtag (language with
# up to three extlangs, script, region, variants, extensions, private use), a private-use tag,
# or an irregular grandfathered tag (the regular ones already match langtag). Every subtag is
# told apart by its length or first character, so matching never backtracks far.
_ALNUM = "[a-z0-9]"
_LANGTAG = (
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"  # language ["-" extlang]
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    rf"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"  # variants
    rf"(?:-[0-9a-wyz](?:-{_ALNUM}{{2,8}})+)*"  # extensions: a singleton other than x
    rf"(?:-x(?:-{_ALNUM}{{1,8}})+)?"  # private use
)
_PRIVATEUSE = rf"x(?:-{_ALNUM}{{1,8}})+"
_IRREGULAR = (
    "en-gb-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo"
    "|i-pwn|i-tao|i-tay|i-tsu|sgn-be-fr|sgn-be-nl|sgn-ch-de"
)
LANGUAGE_RE = re.compile(rf"^(?:{_LANGTAG}|{_PRIVATEUSE}|{_IRREGULAR})\Z", re.ASCII | re.IGNORECASE)
VERSION_RE = re.compile(r"^1\.0(\.\d+)?$")
MEDIA_TYPE_RE = re.compile(r"^[\w!#$&^.+-]+/[\w!#$&^.+-]+(\s*;.*)?$")
TIMESTAMP_RE = re.compile(
    r"^(?P<year>\d{4})-?(?P<month>\d{2})-?(?P<day>\d{2})"
    r"T(?P<hour>\d{2}):?(?P<minute>\d{2})(?::?(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?"
    r"(?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.ASCII,
)
# ISO 8601 4.4.3.2: either weeks alone (PnW) or years to seconds, with a decimal fraction
# allowed only on the lowest-order part given (4.4.3.2 b). The groups find the parts; the
# fraction rule is checked in `is_duration`.
_NUM = r"\d+(?:[.,]\d+)?"
DURATION_RE = re.compile(
    rf"^P(?:(?P<weeks>{_NUM})W|(?!$)(?P<Y>{_NUM}Y)?(?P<M>{_NUM}M)?(?P<D>{_NUM}D)?"
    rf"(?:T(?=\d)(?P<H>{_NUM}H)?(?P<m>{_NUM}M)?(?P<S>{_NUM}S)?)?)$",
    re.ASCII,
)
NEGATIVE_ZERO_OFFSETS = ("-00", "-0000", "-00:00")


def is_uuid(value) -> bool:
    return isinstance(value, str) and UUID_RE.match(value) is not None


# Values longer than this are checked without the caches below: a client could otherwise fill
# them with megabytes of distinct text.
CACHED_MAX_LENGTH = 512


def is_iri(value) -> bool:
    if not isinstance(value, str):
        return False
    if len(value) > CACHED_MAX_LENGTH:
        return IRI_RE.match(value) is not None
    return _is_iri(value)


# The same IRIs (verbs, activities, extension keys, home pages) recur in every batch.
@lru_cache(maxsize=8192)
def _is_iri(value: str) -> bool:
    return IRI_RE.match(value) is not None


def parse_timestamp(value) -> datetime | None:
    """An aware datetime for an ISO 8601 timestamp, or None when it is not one.

    Data 4.5: a timestamp is ISO 8601 (extended or basic); "-00:00" is not a valid offset; a
    timestamp without a time zone is read as UTC.
    """
    if type(value) is not str:
        return None
    if len(value) > CACHED_MAX_LENGTH:
        return _parse_timestamp.__wrapped__(value)
    return _parse_timestamp(value)


# Storing a statement reads its timestamp three times (validation, comparison, the indexed
# column); the datetimes are immutable, so the recent ones are kept.
@lru_cache(maxsize=4096)
def _parse_timestamp(value: str) -> datetime | None:
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
        try:
            # At the edges of the range (9999-12-31T23:59:59-05:00, 0001-01-01T00:00+01:00)
            # the instant falls outside what can be stored and read back in UTC.
            result.astimezone(UTC)
        except OverflowError:
            return None
    return result


def is_duration(value) -> bool:
    """ISO 8601 duration as Data 4.6 takes it: PnW alone, or PnYnMnDTnHnMnS with a fraction
    only on the last part present.
    """
    if not isinstance(value, str):
        return False
    match = DURATION_RE.match(value)
    if match is None:
        return False
    parts = [part for part in match.groups() if part is not None]
    return not any("." in part or "," in part for part in parts[:-1])
