"""ETags and the If-Match / If-None-Match preconditions of xAPI 1.0.3 Communication 3.1.

The ETag is the lowercase hexadecimal SHA-1 of the document's bytes (3.1.s4.b2), sent in quotes
(3.1.s4.b4). Preconditions follow RFC 7232 (which replaced RFC 2616 section 14): If-Match holds
when the document exists and its ETag is listed (or the header is `*`); If-None-Match holds when
the document does not exist, or (for a list) when its ETag is not listed.
"""

from __future__ import annotations

import hashlib

from .errors import DocumentPreconditionFailed

ANY = "*"


def etag_for(content: bytes) -> str:
    """The SHA-1 hex digest of the content, in lowercase (Communication 3.1.s4.b2)."""
    return hashlib.sha1(content).hexdigest()  # noqa: S324 - the spec names SHA-1; not security


def quoted(etag: str) -> str:
    """The ETag header value: the digest enclosed in quotes (Communication 3.1.s4.b4)."""
    return f'"{etag}"'


def parse_tags(header: str) -> tuple[str, ...] | str:
    """`*`, or the entity tags of an If-Match / If-None-Match header without quotes or W/.

    Weak tags come back prefixed with `W/` so that If-Match (strong comparison) never matches
    them. Clients that forget the quotes are accepted: the intent is unambiguous.
    """
    value = header.strip()
    if value == ANY:
        return ANY
    tags = []
    for part in value.split(","):
        tag = part.strip()
        weak = tag[:2].upper() == "W/"
        if weak:
            tag = tag[2:].strip()
        if len(tag) >= 2 and tag[0] == tag[-1] == '"':
            tag = tag[1:-1]
        if tag:
            tags.append(("W/" if weak else "") + tag.lower())
    return tuple(tags)


def check_preconditions(
    *, current_etag: str | None, if_match: str | None, if_none_match: str | None
) -> None:
    """Raise DocumentPreconditionFailed (412) when a given precondition does not hold.

    `current_etag` is None when the document does not exist (Communication 3.1.s4.b5-b12).
    """
    if if_match is not None:
        tags = parse_tags(if_match)
        if current_etag is None:
            raise DocumentPreconditionFailed(
                "If-Match was given but the document does not exist: nothing was changed.",
                rule="xAPI 1.0.3 Communication 3.1.s4.b5",
            )
        if tags != ANY and current_etag.lower() not in tags:
            raise DocumentPreconditionFailed(
                f"If-Match {if_match} does not match the document's current ETag "
                f"{quoted(current_etag)}: it changed since you fetched it. Nothing was changed.",
                rule="xAPI 1.0.3 Communication 3.1.s4.b5",
            )
    if if_none_match is not None and current_etag is not None:
        tags = parse_tags(if_none_match)
        weak_or_strong = (current_etag.lower(), "W/" + current_etag.lower())
        if tags == ANY or any(tag in weak_or_strong for tag in tags):
            raise DocumentPreconditionFailed(
                "If-None-Match was given but the document already exists"
                + ("" if tags == ANY else " with a listed ETag")
                + ": nothing was changed. Fetch it and send If-Match with its ETag to replace it.",
                rule="xAPI 1.0.3 Communication 3.1.s4.b6",
            )
