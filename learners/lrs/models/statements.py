"""Statements: the exact JSON as stored, plus the columns every query parameter needs.

Statements are immutable. Only `voided` changes, when a voiding statement arrives (Data 2.3.2).
Every query orders by (stored, id), so each filter column has an index ending in (stored, id):
an agent's or an activity's newest statements are one index range scan on PostgreSQL and
SQLite alike. `StatementRelation` holds the activities and agents a statement mentions anywhere
(context activities, authority, instructor, team, sub-statement), with `stored` copied, so the
`related_activities` / `related_agents` queries are an index range scan too, never a JSON scan.
"""

import hashlib
import json

from django.core.files.storage import storages
from django.db import models
from django.db.models import Q

__all__ = ["RELATED_COLUMNS", "Statement", "StatementAttachment", "StatementRelation", "indexed"]

# A B-tree entry on PostgreSQL holds at most about 2.7 kB, and IRIs and account names have no
# length limit. Longer values go into the indexed columns as their SHA-256 (the payload keeps
# the text). The space in the prefix keeps the two apart: no IRI or canonical IFI has one
# there (IFIs start "mbox:", "mbox_sha1sum:", "openid:" or "account:").
INDEXED_MAX_BYTES = 1024
HASHED_PREFIX = "sha256 "


def indexed(value: str | None) -> str | None:
    """The form of an IRI or IFI kept in an indexed column: the value itself, or its SHA-256
    when it is longer than INDEXED_MAX_BYTES. Every write and every lookup goes through it.
    """
    if value is None or len(value) * 4 <= INDEXED_MAX_BYTES:
        return value
    encoded = value.encode("utf-8")
    if len(encoded) <= INDEXED_MAX_BYTES:
        return value
    return HASHED_PREFIX + hashlib.sha256(encoded).hexdigest()


def private_storage():
    """Attachments live outside the web root (STORAGES["private"])."""
    return storages["private"]


class Statement(models.Model):
    statement_id = models.UUIDField(unique=True)
    # The statement as stored (with id, stored, authority, version, timestamp set by the LRS),
    # kept as text so reads return it without re-encoding.
    payload = models.TextField()
    # SHA-256 of the statement's comparison form (Data 2.3.1): same id + same hash = same
    # statement, answered without a second row; same id + another hash = 409.
    content_hash = models.CharField(max_length=64)
    # IRIs and IFIs as `indexed()` gives them: the text, or a hash when it is very long.
    actor_ifi = models.TextField(null=True, blank=True)
    object_agent_ifi = models.TextField(null=True, blank=True)
    verb_id = models.TextField()
    activity_id = models.TextField(null=True, blank=True)
    object_statement_id = models.UUIDField(null=True, blank=True)
    registration = models.UUIDField(null=True, blank=True)
    timestamp = models.DateTimeField()
    stored = models.DateTimeField()
    voided = models.BooleanField(default=False)
    is_voiding = models.BooleanField(default=False)
    result_success = models.BooleanField(null=True, blank=True)
    result_completion = models.BooleanField(null=True, blank=True)
    result_score_scaled = models.FloatField(null=True, blank=True)
    authority_ifi = models.TextField(null=True, blank=True)
    has_attachments = models.BooleanField(default=False)

    class Meta:
        ordering = ["-stored", "-id"]
        indexes = [
            models.Index(fields=["stored", "id"], name="lrs_stmt_stored"),
            models.Index(fields=["actor_ifi", "stored", "id"], name="lrs_stmt_actor"),
            models.Index(
                fields=["object_agent_ifi", "stored", "id"],
                name="lrs_stmt_object_agent",
                condition=Q(object_agent_ifi__isnull=False),
            ),
            models.Index(fields=["verb_id", "stored", "id"], name="lrs_stmt_verb"),
            models.Index(
                fields=["activity_id", "stored", "id"],
                name="lrs_stmt_activity",
                condition=Q(activity_id__isnull=False),
            ),
            models.Index(
                fields=["registration", "stored", "id"],
                name="lrs_stmt_registration",
                condition=Q(registration__isnull=False),
            ),
            models.Index(
                fields=["object_statement_id"],
                name="lrs_stmt_statement_ref",
                condition=Q(object_statement_id__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.statement_id} {self.verb_id}"

    def exact_json(self) -> dict:
        """The statement exactly as stored."""
        return json.loads(self.payload)


class StatementRelation(models.Model):
    """An activity or agent a statement mentions beyond its own actor and object, for the
    related_* queries (Communication 2.1.3): its context activities, authority, instructor,
    team and Group members, and everything in a SubStatement. One row per distinct value per
    statement. The actor and object are in the statement's indexed columns (RELATED_COLUMNS):
    a related_* query reads those and these rows.
    """

    class Kind(models.TextChoices):
        ACTIVITY = "activity", "Activity"
        AGENT = "agent", "Agent"

    # No separate index on the key: lookups go through lrs_rel_lookup, and statements are
    # never deleted one by one. No database constraint either: the rows are an index of the
    # statement's JSON, written only with it (statements_store, erasure), and Django still
    # deletes them with it; the constraint's check at commit was a query per row, about a
    # third of PostgreSQL's CPU on ingest (ADR 0002).
    statement = models.ForeignKey(
        Statement,
        on_delete=models.CASCADE,
        related_name="relations",
        db_index=False,
        db_constraint=False,
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.TextField()  # the IRI or IFI as `indexed()` gives it
    # Where the value first appears: object, parent, grouping, category, other, actor,
    # authority, instructor, team, member; prefixed "sub." inside a SubStatement.
    usage = models.CharField(max_length=32)
    # Copied from the statement so the query pages through this index alone.
    stored = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["kind", "value", "stored", "statement"], name="lrs_rel_lookup"),
        ]

    def __str__(self):
        return f"{self.kind} {self.value} ({self.usage})"


# The Statement columns that hold what a related_* query matches besides StatementRelation rows.
RELATED_COLUMNS = {
    StatementRelation.Kind.ACTIVITY: ("activity_id",),
    StatementRelation.Kind.AGENT: ("actor_ifi", "object_agent_ifi"),
}


class StatementAttachment(models.Model):
    """An attachment's content, stored once per SHA-2 in private storage (Data 2.4.11)."""

    sha2 = models.CharField(max_length=128, unique=True)
    content_type = models.CharField(max_length=255)
    length = models.PositiveBigIntegerField()
    file = models.FileField(storage=private_storage, upload_to="xapi-attachments/")
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.sha2
