"""Writes of the Learning Record Store. `statements_store` is the one write path for statements:
the /xapi/statements endpoint and the platform's own pages (whose events `learners.learning.xapi`
and `challenges.xapi` build) both call it.
"""

import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils import timezone

from .comparison import as_list, content_hash, same_statement
from .documents.activities import statement_activities
from .documents.services import activity_definitions_upsert
from .forwarding import outbox_enqueue
from .hooks import statements_stored
from .identity import agent_ifi, platform_authority
from .models import LRSClient, Scope, Statement, StatementAttachment, indexed
from .statement_rows import (
    STATEMENT_COLUMNS,
    bulk_insert,
    relations_insert,
    statement_relations,
    statement_row,
)
from .validation import StatementValidationError, validate_statement
from .voiding import StatementForbiddenError, VoidRight, void_rights_check, voiding_apply

# A first insert without looking, then (on a stored id) inserts of what is not stored yet; each
# retry follows a concurrent writer of the same ids (PostgreSQL blocks the second INSERT on the
# unique index until the first commits).
INSERT_ATTEMPTS = 6

ERROR_DUPLICATE_ID = "Statement {index} repeats the id {id} of an earlier statement in the batch."
ERROR_CONFLICT = "A different statement with the id {id} is already stored."
ERROR_ACTOR = "These credentials may only store statements whose actor is the signed-in learner."
ERROR_ATTACHMENT_MISSING = (
    "Attachment {sha2} has no fileUrl and its content was not sent in the multipart request."
)


class StatementConflictError(Exception):
    """Same id, different content (Communication 2.1.1): 409."""

    def __init__(self, message: str, statement_id: str):
        super().__init__(message)
        self.message = message
        self.statement_id = statement_id


@dataclass(frozen=True)
class AttachmentContent:
    """The raw content of one attachment part of a multipart/mixed request."""

    content_type: str
    content: bytes


def _site_owned(activity_id: str) -> bool:
    """Activities under the site's base URL are the platform's: their canonical definitions
    change only through the platform (a client's statement may carry one; it is not kept).
    """
    return activity_id.startswith(f"{settings.SITE_BASE_URL}/")


def _normalised(statement: dict) -> dict:
    """Context activities always as arrays (Data 2.4.6.2: the LRS returns arrays)."""
    context = statement.get("context")
    if context and "contextActivities" in context:
        activities = context["contextActivities"]
        if any(type(v) is not list for v in activities.values()):
            activities = {key: as_list(value) for key, value in activities.items()}
            statement = {**statement, "context": {**context, "contextActivities": activities}}
    target = statement.get("object")
    if target and target.get("objectType") == "SubStatement":
        normalised = _normalised(target)
        if normalised is not target:
            statement = {**statement, "object": normalised}
    return statement


def statement_content_hash(statement: dict) -> str:
    """SHA-256 of the statement's comparison form (Data 2.3.1), see `comparison`."""
    return content_hash(statement)


def _prepare(statements: list, authority: dict, stored) -> list[tuple[str, str, dict]]:
    """Validate every statement and complete it with the properties the LRS sets."""
    if type(statements) is not list or not statements:
        raise StatementValidationError(
            "Send a statement or a non-empty array of statements.",
            "statements",
            "xAPI 1.0.3 Communication 2.1.2",
        )
    stored_text = stored.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    batch = len(statements) > 1
    prepared = []
    seen = set()
    for index, raw in enumerate(statements):
        try:
            validate_statement(raw)
        except StatementValidationError as exc:
            if batch:
                exc.message = f"Statement {index}: {exc.message}"
                exc.args = (exc.message,)
                exc.property = f"[{index}].{exc.property}"
            raise
        content_hash = statement_content_hash(raw)
        statement_id = raw["id"].lower() if "id" in raw else str(uuid.uuid4())
        if statement_id in seen:
            raise StatementValidationError(
                ERROR_DUPLICATE_ID.format(index=index, id=statement_id),
                f"[{index}].id",
                "xAPI 1.0.3 Communication 2.1.1: no repeated ids in a batch",
            )
        seen.add(statement_id)
        statement = _normalised(raw)
        statement = {
            **statement,
            "id": statement.get("id", statement_id),
            "timestamp": statement.get("timestamp", stored_text),
            "stored": stored_text,
            "authority": authority,
            "version": statement.get("version", "1.0.0"),
        }
        prepared.append((statement_id, content_hash, statement))
    return prepared


def _check_attachments(prepared, attachments: dict[str, AttachmentContent]) -> None:
    for _, _, statement in prepared:
        for item in statement.get("attachments") or []:
            if "fileUrl" not in item and item["sha2"] not in attachments:
                raise StatementValidationError(
                    ERROR_ATTACHMENT_MISSING.format(sha2=item["sha2"]),
                    "attachments",
                    "xAPI 1.0.3 Communication 1.5.2: attachments without fileUrl are sent",
                )


def _attachments_save(attachments: dict[str, AttachmentContent]) -> None:
    if not attachments:
        return
    present = set(
        StatementAttachment.objects.filter(sha2__in=list(attachments)).values_list(
            "sha2", flat=True
        )
    )
    for sha2, part in attachments.items():
        if sha2 in present:
            continue
        # Through the storages handler, not the field's storage: the handler follows the
        # STORAGES setting at run time (tests point it at a temporary folder).
        name = storages["private"].save(f"xapi-attachments/{sha2}", ContentFile(part.content))
        row = StatementAttachment(
            sha2=sha2, content_type=part.content_type[:255], length=len(part.content), file=name
        )
        row.full_clean()
        row.save()


def _same_as_stored(statement_id: str, sent: dict) -> bool:
    """The slow comparison, when the stored hash differs (see `comparison.same_statement`).

    `sent` is as prepared: a timestamp equal to `stored` is the one the LRS filled in.
    """
    rows = Statement.objects.filter(statement_id=statement_id).values_list("payload", flat=True)
    payload = rows.first()
    if payload is None:
        return False
    if sent.get("timestamp") == sent.get("stored"):
        sent = {key: value for key, value in sent.items() if key != "timestamp"}
    return same_statement(sent, json.loads(payload))


def _insert(prepared, stored, *, look_first: bool) -> list[Statement]:
    """Insert the statements not yet stored; the ones already stored must be equal.

    Without `look_first` every statement is inserted and a stored id fails the insert (the
    unique index) with IntegrityError, which the caller answers by rolling back and calling
    again with `look_first`: most batches are new, and this saves them a query.
    """
    existing = {}
    if look_first:
        ids = [statement_id for statement_id, _, _ in prepared]
        existing = {
            str(key): value
            for key, value in Statement.objects.filter(statement_id__any=ids).values_list(
                "statement_id", "content_hash"
            )
        }
    rows = []
    for statement_id, digest, statement in prepared:
        if statement_id in existing:
            if existing[statement_id] != digest and not _same_as_stored(statement_id, statement):
                raise StatementConflictError(
                    ERROR_CONFLICT.format(id=statement_id), statement_id=statement_id
                )
            continue
        rows.append(statement_row(statement, statement_id, digest, stored))
    if rows:
        bulk_insert(Statement, STATEMENT_COLUMNS, rows)
    return rows


def statements_store(
    *,
    statements: list[dict],
    authority: dict | None = None,
    attachments: dict[str, AttachmentContent] | None = None,
    actor_restriction: frozenset[str] | None = None,
    void_right: VoidRight | None = None,
) -> list[str]:
    """Validate and store statements, all or nothing; return their ids in order.

    xAPI 1.0.3 Data 2 (validation, voiding in 2.3.2) and Communication 2.1.1-2.1.2 (ids): a
    statement whose id is already stored with the same content is a success without a second
    row; with other content it raises StatementConflictError (409). `authority` is the agent of
    the credentials (Data 2.4.9); the platform's own statements get `platform_authority()`.
    `attachments` maps SHA-2 to the content of multipart parts. `actor_restriction` (a learner's
    IFIs) rejects statements about anyone else. `void_right` says what the caller may void
    (403 otherwise, nothing stored); by default the platform may void anything and any other
    authority nothing. Forwarding outbox rows and canonical activity definitions are written
    in the same transaction.
    """
    stored = timezone.now()
    if void_right is None:
        void_right = VoidRight.ANY if authority is None else VoidRight.NONE
    authority = authority or platform_authority()
    prepared = _prepare(statements, authority, stored)
    if actor_restriction is not None:
        actor_restriction = frozenset(
            [actor_restriction] if isinstance(actor_restriction, str) else actor_restriction
        )
        for _, _, statement in prepared:
            if agent_ifi(statement["actor"]) not in actor_restriction:
                raise StatementForbiddenError(ERROR_ACTOR)
    _check_attachments(prepared, attachments or {})
    # The whole write is retried, not just the insert: a savepoint around the insert would cost
    # two more round trips on every batch. Called inside a caller's transaction, the atomic
    # block below is a savepoint anyway.
    for attempt in range(INSERT_ATTEMPTS):
        try:
            with transaction.atomic():
                _write(
                    prepared,
                    stored=stored,
                    authority=authority,
                    attachments=attachments or {},
                    void_right=void_right,
                    look_first=attempt > 0,
                )
            break
        except IntegrityError:
            # Some of these ids are stored (a re-send), or another transaction stored them
            # first (PostgreSQL made this insert wait for it): compare with what is stored.
            if attempt == INSERT_ATTEMPTS - 1:
                raise
    return [statement_id for statement_id, _, _ in prepared]


def _write(prepared, *, stored, authority, attachments, void_right, look_first: bool) -> None:
    """The database part of `statements_store`, in its transaction."""
    void_rights_check(prepared, agent_ifi(authority), void_right)
    rows = _insert(prepared, stored, look_first=look_first)
    if not rows:
        return
    by_id = {statement_id: statement for statement_id, _, statement in prepared}
    relations = []
    for row in rows:
        seen = set()

        def add(kind, value, usage, pk=row.pk, seen=seen):
            value = indexed(value)
            if (kind, value) not in seen:
                seen.add((kind, value))
                relations.append((pk, kind, value, usage, stored))

        statement_relations(by_id[str(row.statement_id)], add)
    relations_insert(relations)
    voiding_apply(rows)
    _attachments_save(attachments)
    platform = agent_ifi(authority) == agent_ifi(platform_authority())
    activity_definitions_upsert(
        activities=[
            activity
            for _, _, statement in prepared
            for activity in statement_activities(statement)
            if platform or not _site_owned(activity["id"])
        ]
    )
    outbox_enqueue(statements=rows)
    statements_stored([str(row.statement_id) for row in rows])


@transaction.atomic
def lrs_client_create(
    *,
    name: str,
    scopes: list[str],
    secret: str | None = None,
    authority: dict | None = None,
    evidence_activities: list[str] | None = None,
) -> tuple[LRSClient, str]:
    """Create credentials for the xAPI endpoints; returns the client and its raw secret, which
    is shown once and stored only as a hash. `evidence_activities`: the activity IRI prefixes
    an admin trusts this client to attest (see learners.learning.evidence).
    """
    raw = secret or secrets.token_urlsafe(24)
    client = LRSClient(
        name=name,
        scopes=list(dict.fromkeys(scopes)),
        authority=authority,
        evidence_activities=list(evidence_activities or []),
    )
    client.set_secret(raw)
    client.full_clean()
    client.save()
    return client, raw


__all__ = [
    "AttachmentContent",
    "Scope",
    "StatementConflictError",
    "StatementForbiddenError",
    "VoidRight",
    "lrs_client_create",
    "platform_authority",
    "statement_content_hash",
    "statements_store",
]
