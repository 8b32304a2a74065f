"""Document resources of xAPI 1.0.3 (Communication 2.2-2.7) and the canonical activities.

Documents are small: the bytes live in the database with their content type, the SHA-1 ETag of
the bytes (Communication 3.1) and when they were last modified. IRIs, IFIs and document ids have
no length limit in the spec, so lookups go through fixed-length SHA-256 keys (`doc_key` for one
document, `scope_key` for the set a multiple-document GET or DELETE works on) rather than
indexes over unbounded text. `learners.lrs.documents.keys` computes them.
"""

from django.db import models

__all__ = ["Activity", "ActivityProfile", "AgentProfile", "StateDocument"]


class DocumentBase(models.Model):
    """What every stored document has (Communication 2.2: id, updated, contents)."""

    content = models.BinaryField(blank=True)
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=40, help_text="SHA-1 hex digest of the content")
    updated = models.DateTimeField()
    doc_key = models.CharField(max_length=64, unique=True, editable=False)
    scope_key = models.CharField(max_length=64, editable=False)

    class Meta:
        abstract = True


class StateDocument(DocumentBase):
    """A State Resource document (Communication 2.3): activity + agent [+ registration] + id."""

    activity_id = models.TextField()
    agent_ifi = models.TextField(help_text="Canonical IFI from learners.lrs.identity.agent_ifi")
    registration = models.UUIDField(null=True, blank=True)
    state_id = models.TextField()

    class Meta:
        verbose_name = "state document"
        indexes = [models.Index(fields=["scope_key", "updated"], name="lrs_state_scope_idx")]

    def __str__(self):
        return f"state {self.state_id} of {self.agent_ifi} in {self.activity_id}"


class ActivityProfile(DocumentBase):
    """An Activity Profile Resource document (Communication 2.7)."""

    activity_id = models.TextField()
    profile_id = models.TextField()

    class Meta:
        verbose_name = "activity profile"
        indexes = [models.Index(fields=["scope_key", "updated"], name="lrs_actprof_scope_idx")]

    def __str__(self):
        return f"profile {self.profile_id} of {self.activity_id}"


class AgentProfile(DocumentBase):
    """An Agent Profile Resource document (Communication 2.6)."""

    agent_ifi = models.TextField(help_text="Canonical IFI from learners.lrs.identity.agent_ifi")
    profile_id = models.TextField()

    class Meta:
        verbose_name = "agent profile"
        indexes = [models.Index(fields=["scope_key", "updated"], name="lrs_agentprof_scope_idx")]

    def __str__(self):
        return f"profile {self.profile_id} of {self.agent_ifi}"


class Activity(models.Model):
    """The LRS's canonical definition of an activity, merged from the statements it stored.

    The Activities Resource (Communication 2.5) returns it; `activity_key` is the SHA-256 of the
    activity id.
    """

    activity_id = models.TextField()
    activity_key = models.CharField(max_length=64, unique=True, editable=False)
    definition = models.JSONField(default=dict, blank=True)
    updated = models.DateTimeField()

    class Meta:
        verbose_name_plural = "activities"

    def __str__(self):
        return self.activity_id
