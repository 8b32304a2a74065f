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
from django.db import IntegrityError, connection, transaction
from django.db.models.base import ModelState
from django.utils import timezone

from .comparison import as_list, content_hash, same_statement
from .documents.activities import statement_activities
from .documents.services import activity_definitions_upsert
from .forwarding import outbox_enqueue
from .hooks import statements_stored
from .identity import agent_ifi, group_member_ifis, is_group
from .models import LRSClient, Scope, Statement, StatementAttachment, StatementRelation, indexed
from .validation import VOIDED_VERB, StatementValidationError, parse_timestamp, validate_statement

# Concurrent writers of the same ids: retry after the other transaction commits (PostgreSQL
# blocks the second INSERT on the unique index until then).
INSERT_ATTEMPTS = 5
CONTEXT_ACTIVITY_KINDS = ("parent", "grouping", "category", "other")

ERROR_DUPLICATE_ID = "Statement {index} repeats the id {id} of an earlier statement in the batch."
ERROR_CONFLICT = "A different statement with the id {id} is already stored."
ERROR_VOID_VOIDING = "Statement {id} is a voiding statement; voiding statements cannot be voided."
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


class StatementForbiddenError(Exception):
    """The caller may not store this statement (e.g. a learner writing about someone else): 403."""


@dataclass(frozen=True)
class AttachmentContent:
    """The raw content of one attachment part of a multipart/mixed request."""

    content_type: str
    content: bytes


def platform_authority() -> dict:
    """The authority of statements the platform stores itself (Data 2.4.9)."""
    return {
        "objectType": "Agent",
        "name": "Public School of Technology",
        "account": {"homePage": settings.SITE_BASE_URL, "name": "platform"},
    }


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


def _agent_relations(value, usage: str, add) -> None:
    if type(value) is not dict:
        return
    ifi = agent_ifi(value)
    if ifi:
        add("agent", ifi, usage)
    if is_group(value):
        for member in group_member_ifis(value):
            add("agent", member, f"{usage}.member")


def _relations(statement: dict, add, prefix: str = "") -> None:
    """Every activity and agent the statement mentions (Communication 2.1.3 related_*)."""
    _agent_relations(statement.get("actor"), f"{prefix}actor", add)
    target = statement.get("object") or {}
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        add("activity", target["id"], f"{prefix}object")
    elif kind in ("Agent", "Group"):
        _agent_relations(target, f"{prefix}object", add)
    elif kind == "SubStatement":
        _relations(target, add, "sub.")
    context = statement.get("context")
    if context:
        for key, items in (context.get("contextActivities") or {}).items():
            for item in as_list(items):
                add("activity", item["id"], f"{prefix}{key}")
        _agent_relations(context.get("instructor"), f"{prefix}instructor", add)
        _agent_relations(context.get("team"), f"{prefix}team", add)
    if not prefix:
        _agent_relations(statement.get("authority"), "authority", add)


def _instance(model, **values):
    """A model instance built without Model.__init__.

    __init__ sends pre_init and post_init, and with the many receivers Wagtail and friends
    connect, those two signals cost more than everything else per statement. The values here
    are complete and already of the right Python types; the instance is unsaved, as one from
    __init__ would be.
    """
    defaults = _DEFAULTS.get(model)
    if defaults is None:
        defaults = _DEFAULTS[model] = {
            field.attname: field.get_default() for field in model._meta.concrete_fields
        }
    obj = model.__new__(model)
    obj._state = ModelState()
    obj.__dict__.update(defaults)
    obj.__dict__.update(values)
    return obj


_DEFAULTS: dict = {}


def _row(statement: dict, statement_id: str, content_hash: str, stored) -> Statement:
    target = statement["object"]
    kind = target.get("objectType", "Activity")
    result = statement.get("result") or {}
    context = statement.get("context") or {}
    score = result.get("score") or {}
    is_voiding = statement["verb"]["id"] == VOIDED_VERB
    return _instance(
        Statement,
        statement_id=statement_id,
        payload=json.dumps(statement, separators=(",", ":"), ensure_ascii=False),
        content_hash=content_hash,
        actor_ifi=indexed(agent_ifi(statement["actor"])),
        object_agent_ifi=indexed(agent_ifi(target)) if kind in ("Agent", "Group") else None,
        verb_id=indexed(statement["verb"]["id"]),
        activity_id=indexed(target["id"]) if kind == "Activity" else None,
        object_statement_id=target["id"].lower() if kind == "StatementRef" else None,
        registration=context.get("registration"),
        timestamp=parse_timestamp(statement["timestamp"]),
        stored=stored,
        is_voiding=is_voiding,
        result_success=result.get("success"),
        result_completion=result.get("completion"),
        result_score_scaled=score.get("scaled"),
        authority_ifi=indexed(agent_ifi(statement.get("authority"))),
        has_attachments=bool(statement.get("attachments")),
    )


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


def _insert(prepared, stored) -> list[Statement]:
    """Insert the statements not yet stored; the ones already stored must be equal."""
    ids = [statement_id for statement_id, _, _ in prepared]
    existing = {
        str(key): value
        for key, value in Statement.objects.filter(statement_id__in=ids).values_list(
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
        rows.append(_row(statement, statement_id, digest, stored))
    if rows:
        with transaction.atomic():
            _bulk_insert(Statement, STATEMENT_COLUMNS, rows)
    return rows


STATEMENT_COLUMNS = [
    field.attname for field in Statement._meta.concrete_fields if not field.primary_key
]
RELATION_COLUMNS = ["statement_id", "kind", "value", "usage", "stored"]


def _relations_insert(relations: list[tuple]) -> None:
    """Insert (statement pk, kind, value, usage, stored) rows; COPY on PostgreSQL."""
    if not relations:
        return
    if connection.vendor != "postgresql":
        StatementRelation.objects.bulk_create(
            StatementRelation(**dict(zip(RELATION_COLUMNS, values, strict=True)))
            for values in relations
        )
        return
    table = connection.ops.quote_name(StatementRelation._meta.db_table)
    names = ", ".join(connection.ops.quote_name(name) for name in RELATION_COLUMNS)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for values in relations:
                copy.write_row(values)


def _insert_order(obj) -> str:
    return str(obj.statement_id)


def _bulk_insert(model, columns: list[str], objects: list) -> None:
    """Insert the objects and set their primary keys.

    On PostgreSQL through COPY, with the keys taken from the sequence first: Django's
    bulk_create binds every value client-side and costs several times more than the insert
    itself at thousands of statements a second. Elsewhere, bulk_create.
    """
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects)
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
        names = ", ".join(connection.ops.quote_name(name) for name in ["id", *columns])
        sql = f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN"
        # COPY bypasses Django's cursor wrapper: map driver errors (a unique violation when
        # another transaction stored the same id) to Django's IntegrityError ourselves.
        # Keys follow the batch order; rows go in sorted by key so that two transactions
        # inserting overlapping batches wait on the unique index in the same order rather
        # than deadlock.
        ordered = sorted(objects, key=_insert_order) if model is Statement else objects
        with connection.wrap_database_errors, cursor.copy(sql) as copy:
            for obj in ordered:
                copy.write_row([obj.pk, *(getattr(obj, name) for name in columns)])


def _apply_voiding(rows: list[Statement]) -> None:
    """Data 2.3.2: a voiding statement voids its target, which must not itself be voiding; a
    statement that arrives after the statement voiding it is stored as voided.
    """
    targets = {str(row.object_statement_id) for row in rows if row.is_voiding}
    new_ids = {str(row.statement_id) for row in rows}
    if targets:
        batch_voiding = {str(row.statement_id) for row in rows if row.is_voiding}
        bad = targets & batch_voiding
        if not bad:
            bad = {
                str(value)
                for value in Statement.objects.filter(
                    statement_id__in=list(targets - new_ids), is_voiding=True
                ).values_list("statement_id", flat=True)
            }
        if bad:
            raise StatementValidationError(
                ERROR_VOID_VOIDING.format(id=sorted(bad)[0]), "object.id", "xAPI 1.0.3 Data 2.3.2"
            )
    voided_now = {
        str(value)
        for value in Statement.objects.filter(
            object_statement_id__in=list(new_ids), is_voiding=True
        ).values_list("object_statement_id", flat=True)
    }
    voided_now |= targets & new_ids
    late = [row.pk for row in rows if str(row.statement_id) in voided_now and not row.is_voiding]
    if late:
        Statement.objects.filter(pk__in=late).update(voided=True)
    old_targets = targets - new_ids
    if old_targets:
        Statement.objects.filter(statement_id__in=list(old_targets), is_voiding=False).update(
            voided=True
        )


@transaction.atomic
def statements_store(
    *,
    statements: list[dict],
    authority: dict | None = None,
    attachments: dict[str, AttachmentContent] | None = None,
    actor_restriction: str | None = None,
) -> list[str]:
    """Validate and store statements, all or nothing; return their ids in order.

    xAPI 1.0.3 Data 2 (validation, voiding in 2.3.2) and Communication 2.1.1-2.1.2 (ids): a
    statement whose id is already stored with the same content is a success without a second
    row; with other content it raises StatementConflictError (409). `authority` is the agent of
    the credentials (Data 2.4.9); the platform's own statements get `platform_authority()`.
    `attachments` maps SHA-2 to the content of multipart parts. `actor_restriction` (a learner's
    IFI) rejects statements about anyone else. Forwarding outbox rows and canonical activity
    definitions are written in the same transaction.
    """
    stored = timezone.now()
    prepared = _prepare(statements, authority or platform_authority(), stored)
    if actor_restriction is not None:
        for _, _, statement in prepared:
            if agent_ifi(statement["actor"]) != actor_restriction:
                raise StatementForbiddenError(ERROR_ACTOR)
    _check_attachments(prepared, attachments or {})
    for attempt in range(INSERT_ATTEMPTS):
        try:
            rows = _insert(prepared, stored)
            break
        except IntegrityError:
            # Another transaction stored some of these ids first; compare with what it stored.
            if attempt == INSERT_ATTEMPTS - 1:
                raise
    if rows:
        by_id = {statement_id: statement for statement_id, _, statement in prepared}
        relations = []
        for row in rows:
            seen = set()

            def add(kind, value, usage, pk=row.pk, seen=seen):
                value = indexed(value)
                if (kind, value) not in seen:
                    seen.add((kind, value))
                    relations.append((pk, kind, value, usage, stored))

            _relations(by_id[str(row.statement_id)], add)
        _relations_insert(relations)
        _apply_voiding(rows)
        _attachments_save(attachments or {})
        activity_definitions_upsert(
            activities=[
                activity
                for _, _, statement in prepared
                for activity in statement_activities(statement)
            ]
        )
        outbox_enqueue(statements=rows)
        statements_stored([str(row.statement_id) for row in rows])
    return [statement_id for statement_id, _, _ in prepared]


@transaction.atomic
def lrs_client_create(
    *, name: str, scopes: list[str], secret: str | None = None, authority: dict | None = None
) -> tuple[LRSClient, str]:
    """Create credentials for the xAPI endpoints; returns the client and its raw secret, which
    is shown once and stored only as a hash.
    """
    raw = secret or secrets.token_urlsafe(24)
    client = LRSClient(name=name, scopes=list(dict.fromkeys(scopes)), authority=authority)
    client.set_secret(raw)
    client.full_clean()
    client.save()
    return client, raw


__all__ = [
    "AttachmentContent",
    "Scope",
    "StatementConflictError",
    "StatementForbiddenError",
    "lrs_client_create",
    "platform_authority",
    "statement_content_hash",
    "statements_store",
]
