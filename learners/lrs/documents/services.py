"""Writes of the document resources (xAPI 1.0.3 Communication 2.2-2.7, 3.1) and activities.

Every write locks the target row, checks the preconditions against its current ETag, and either
changes exactly what was asked or raises a DocumentError and changes nothing.
"""

from __future__ import annotations

import json

from django.db import IntegrityError, transaction
from django.utils import timezone

from learners.lrs.models import Activity
from learners.lrs.validation import StatementValidationError
from learners.lrs.validation.jsontext import R_JSON
from learners.lrs.validation.jsontext import loads as json_loads

from .activities import definition_merge
from .errors import DocumentBadRequest, DocumentConflict
from .etags import check_preconditions, etag_for, quoted
from .refs import DocumentRef, StateScope, digest

JSON_TYPE = "application/json"
DEFAULT_TYPE = "application/octet-stream"

MERGE_RULE = "xAPI 1.0.3 Communication 2.2.s8.b1"


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type header, lowercased, without parameters."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def _locked(ref: DocumentRef):
    return ref.model.objects.select_for_update().filter(doc_key=ref.doc_key).first()


def _save(ref: DocumentRef, document, content: bytes, content_type: str):
    content_type = (content_type or "").strip() or DEFAULT_TYPE
    if len(content_type) > 255:
        raise DocumentBadRequest(
            "The Content-Type header is longer than 255 characters.", property="Content-Type"
        )
    creating = document is None
    if creating:
        document = ref.model(doc_key=ref.doc_key, scope_key=ref.scope_key, **ref.fields())
    document.content = bytes(content)
    document.content_type = content_type
    document.etag = etag_for(document.content)
    document.updated = timezone.now()
    # The database enforces doc_key uniqueness; a race surfaces as IntegrityError below.
    document.full_clean(exclude=["doc_key"])
    if not creating:
        document.save()
        return document
    try:
        with transaction.atomic():
            document.save(force_insert=True)
    except IntegrityError as error:
        raise _CreatedMeanwhile from error
    return document


class _CreatedMeanwhile(Exception):
    """Another transaction inserted the same document after we looked for it."""


def _with_one_retry(step):
    """Run `step`; if a concurrent request created the document first, run it again.

    The second run finds that document, locks it, and judges the request against it (so a
    racing If-None-Match: * gets its 412 and a racing POST merges).
    """
    try:
        return step()
    except _CreatedMeanwhile:
        pass
    try:
        return step()
    except _CreatedMeanwhile as error:
        raise DocumentConflict(
            "Other requests keep creating this document at the same moment. Fetch it, then "
            "send If-Match with its ETag to change it.",
            rule="xAPI 1.0.3 Communication 3.1",
        ) from error


def _require_precondition(ref: DocumentRef, document, if_match, if_none_match) -> None:
    """Profile PUTs need If-Match or If-None-Match (Communication 3.1.s3.b1, 3.1.s4.b13-b15)."""
    if not ref.requires_precondition or if_match is not None or if_none_match is not None:
        return
    if document is not None:
        raise DocumentConflict(
            "This document already exists and the request had neither If-Match nor "
            "If-None-Match. Check its current state with GET, then send If-Match with its "
            f"ETag ({quoted(document.etag)}) to replace it. Nothing was changed.",
            rule="xAPI 1.0.3 Communication 3.1.s4.b13",
        )
    raise DocumentBadRequest(
        "A PUT to this resource must include If-Match (to replace a document you fetched) or "
        "If-None-Match: * (to create one only if it does not exist). Nothing was stored.",
        rule="xAPI 1.0.3 Communication 3.1.s3.b1",
    )


@transaction.atomic
def document_put(
    *,
    ref: DocumentRef,
    content: bytes,
    content_type: str | None,
    if_match: str | None = None,
    if_none_match: str | None = None,
):
    """Store the document, replacing any existing one (Communication 2.3.s3, 2.6.s3, 2.7.s3).

    A document sent as application/json must be JSON (any JSON value): 400 otherwise.
    """
    if media_type(content_type) == JSON_TYPE:
        _json_value(content, "sent")

    def step():
        document = _locked(ref)
        _require_precondition(ref, document, if_match, if_none_match)
        check_preconditions(
            current_etag=document.etag if document else None,
            if_match=if_match,
            if_none_match=if_none_match,
        )
        return _save(ref, document, content, content_type)

    return _with_one_retry(step)


def _json_value(content: bytes, which: str):
    try:
        # NUL is fine inside a document: its bytes are stored as sent, and a merge writes it
        # back escaped.
        return json_loads(bytes(content), "content", allow_nul=True)
    except StatementValidationError as error:
        raise DocumentBadRequest(
            f"The {which} document has Content-Type application/json but is not strict "
            f"JSON: {error}. Nothing was changed.",
            rule=MERGE_RULE if error.rule == R_JSON else error.rule,
        ) from error


def _json_object(content: bytes, which: str) -> dict:
    value = _json_value(content, which)
    if not isinstance(value, dict):
        raise DocumentBadRequest(
            f"The {which} document is JSON but not a JSON object (it is a "
            f"{type(value).__name__}), so it cannot be merged. Use PUT to replace it. "
            "Nothing was changed.",
            rule=MERGE_RULE,
        )
    return value


def json_merge(stored, content: bytes, content_type: str | None) -> bytes:
    """The stored JSON object with the posted object's top-level properties set on it (2.2.s7)."""
    if media_type(stored.content_type) != JSON_TYPE:
        raise DocumentBadRequest(
            "POST merges JSON documents, but the stored document's Content-Type is "
            f"{stored.content_type!r}, not application/json. Use PUT to replace it. "
            "Nothing was changed.",
            rule=MERGE_RULE,
        )
    if media_type(content_type) != JSON_TYPE:
        raise DocumentBadRequest(
            "POST merges JSON documents, but the posted document's Content-Type is "
            f"{content_type or 'missing'!r}, not application/json. Use PUT to replace the "
            "document. Nothing was changed.",
            rule=MERGE_RULE,
            property="Content-Type",
        )
    merged = _json_object(stored.content, "stored")
    merged.update(_json_object(content, "posted"))
    return json.dumps(merged, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@transaction.atomic
def document_post(
    *,
    ref: DocumentRef,
    content: bytes,
    content_type: str | None,
    if_match: str | None = None,
    if_none_match: str | None = None,
):
    """Create the document, or merge a JSON object into the stored one (Communication 2.2.s7).

    Both must be `application/json` objects to merge; otherwise 400 and nothing changes (2.2.s8).
    A JSON document posted is checked to be an object even when there is nothing to merge with
    yet, so that the next POST can merge into it.
    """
    if media_type(content_type) == JSON_TYPE:
        _json_object(content, "posted")

    def step():
        document = _locked(ref)
        check_preconditions(
            current_etag=document.etag if document else None,
            if_match=if_match,
            if_none_match=if_none_match,
        )
        if document is None:
            return _save(ref, None, content, content_type)
        merged = json_merge(document, content, content_type)
        return _save(ref, document, merged, document.content_type)

    return _with_one_retry(step)


@transaction.atomic
def document_delete(*, ref: DocumentRef, if_match: str | None = None) -> bool:
    """Delete one document; deleting one that does not exist is not an error (2.3.s3, 3.1.s4.b7).

    Returns whether a document was deleted.
    """
    document = _locked(ref)
    if document is None:
        if if_match is not None:
            check_preconditions(current_etag=None, if_match=if_match, if_none_match=None)
        return False
    check_preconditions(current_etag=document.etag, if_match=if_match, if_none_match=None)
    document.delete()
    return True


@transaction.atomic
def state_documents_delete(*, scope: StateScope) -> int:
    """Delete every state of the activity and agent [and registration] (Communication 2.3.s5)."""
    deleted, _ = scope.model.objects.filter(**scope.filters()).delete()
    return deleted


def _definitions_in_order(activities: list[dict]) -> dict[str, tuple[str, dict]]:
    """Activity key -> (id, definition merged across the batch, in order)."""
    by_id: dict[str, dict] = {}
    for activity in activities:
        activity_id = activity.get("id") if isinstance(activity, dict) else None
        definition = activity.get("definition") if activity_id else None
        if not isinstance(activity_id, str) or not isinstance(definition, dict) or not definition:
            continue
        previous = by_id.get(activity_id)
        by_id[activity_id] = (
            definition if previous is None else definition_merge(previous, definition)
        )
    return {digest(activity_id): (activity_id, merged) for activity_id, merged in by_id.items()}


@transaction.atomic(savepoint=False)  # inside statements_store's transaction: no savepoint
def activity_definitions_upsert(*, activities: list[dict]) -> int:
    """Merge the definitions of these Activity objects into the canonical ones (Data 2.4.4.1).

    Called by `statements_store` with every activity of the stored statements
    (`learners.lrs.documents.activities.statement_activities`). Activities without a definition
    change nothing. At most two queries per batch, whatever its size. The read takes no lock:
    definitions seldom change, and locking every activity of every batch would make concurrent
    writers of statements about the same course wait for each other. Only changed rows are
    written, in key order so that concurrent batches lock them in the same order. Returns the
    number of rows written.
    """
    batch = _definitions_in_order(activities)
    if not batch:
        return 0
    stored = dict(
        Activity.objects.filter(activity_key__any=list(batch)).values_list(
            "activity_key", "definition"
        )
    )
    now = timezone.now()
    rows = []
    for key in sorted(batch):
        activity_id, definition = batch[key]
        if key in stored:
            definition = definition_merge(stored[key], definition)
            if definition == stored[key]:
                continue
        row = Activity(
            activity_id=activity_id, activity_key=key, definition=definition, updated=now
        )
        row.full_clean(exclude=["activity_key"], validate_unique=False)
        rows.append(row)
    if rows:
        Activity.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["activity_key"],
            update_fields=["definition", "updated"],
        )
    return len(rows)
