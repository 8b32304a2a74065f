"""Forwarding: other LRSs that receive a copy of every stored statement, and the outbox.

An outbox row is one stored batch of statements for one target. It is written in the same
transaction as the statements, so a statement is never stored without its way out; the row
stays pending until the target has acknowledged every statement in it, or is parked as failed
when the target keeps refusing it (a 4xx other than 409 and 429) until someone retries it.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

__all__ = ["ForwardingTarget", "OutboxBatch"]


class ForwardingTarget(models.Model):
    """Another LRS that receives every stored statement that passes its filters."""

    name = models.CharField(max_length=100, unique=True)
    endpoint = models.URLField(
        max_length=500,
        help_text="The target LRS's xAPI endpoint, e.g. https://lrs.example.gov.uk/xapi/",
    )
    username = models.CharField(
        "key (user name)", max_length=255, blank=True, help_text="HTTP Basic user name or key."
    )
    # Kept as given: it has to be sent to the target, so it cannot be hashed. It is never shown
    # in listings or logs, and the edit form never echoes it back.
    password = models.CharField(
        "secret (password)",
        max_length=255,
        blank=True,
        help_text="HTTP Basic password or secret. Leave blank when editing to keep it.",
    )
    verb_filter = models.TextField(
        blank=True,
        help_text="Verb IRIs to forward, one a line. Leave blank to forward every verb.",
    )
    activity_filter = models.TextField(
        blank=True,
        help_text=(
            "Activity IRI prefixes to forward, one a line: a statement is forwarded when the id "
            "of its object activity starts with one of them. Leave blank to forward everything."
        ),
    )
    enabled = models.BooleanField(default=True)
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def verb_iris(self) -> frozenset[str]:
        return frozenset(line.strip() for line in self.verb_filter.splitlines() if line.strip())

    @property
    def activity_prefixes(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.activity_filter.splitlines() if line.strip())

    def matches(self, *, verb_id: str, activity_id: str | None) -> bool:
        """True when a statement with this verb and object activity passes the filters."""
        verbs = self.verb_iris
        if verbs and verb_id not in verbs:
            return False
        prefixes = self.activity_prefixes
        return not prefixes or bool(activity_id and activity_id.startswith(prefixes))


class OutboxBatch(models.Model):
    """Statements, by id, still to be (or already) forwarded to one target."""

    target = models.ForeignKey(ForwardingTarget, on_delete=models.CASCADE, related_name="outbox")
    statement_ids = models.JSONField(help_text="Statement ids in the order they were stored.")
    size = models.PositiveIntegerField()
    created = models.DateTimeField(default=timezone.now)
    delivered = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # Not tried again before this (exponential backoff after a failure).
    next_attempt = models.DateTimeField(null=True, blank=True)
    # A delivery in progress holds the row until then; a crashed worker's lease simply expires.
    leased_until = models.DateTimeField(null=True, blank=True)
    # Which claim holds the lease: a worker that lost its lease cannot renew it, send further
    # chunks or record an outcome over another worker's claim.
    lease_token = models.UUIDField(null=True, blank=True, editable=False)
    # Parked: the target refused the row (4xx) on every one of a bounded number of attempts. It
    # is no longer tried until retried by hand from the admin; the rows behind it keep flowing.
    failed = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "outbox batch"
        verbose_name_plural = "outbox batches"
        indexes = [
            models.Index(
                fields=["target", "created"],
                condition=Q(delivered__isnull=True),
                name="lrs_outbox_pending_idx",
            ),
            models.Index(
                fields=["delivered"],
                condition=Q(delivered__isnull=False),
                name="lrs_outbox_delivered_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=1), name="lrs_outbox_size_positive"),
        ]

    def __str__(self):
        state = "delivered" if self.delivered else "failed" if self.failed else "pending"
        return f"{self.size} statements for {self.target_id} ({state})"
