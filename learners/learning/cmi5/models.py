"""A learner's cmi5 sessions and what their registration has satisfied (cmi5 sections 10, 11)."""

import uuid

from django.db import models


class LaunchMode(models.TextChoices):
    NORMAL = "Normal"
    BROWSE = "Browse"
    REVIEW = "Review"


class SessionState(models.TextChoices):
    LAUNCHED = "launched"
    INITIALIZED = "initialized"
    TERMINATED = "terminated"
    ABANDONED = "abandoned"


class WaiveReason(models.TextChoices):
    """The reasons cmi5 names for a waiver (9.5.5.2)."""

    TESTED_OUT = "Tested Out"
    EQUIVALENT_AU = "Equivalent AU"
    EQUIVALENT_OUTSIDE = "Equivalent Outside Activity"
    ADMINISTRATIVE = "Administrative"


class Cmi5Session(models.Model):
    """One launch of an AU for an enrolment (its registration)."""

    session_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolment = models.ForeignKey(
        "learning.Enrolment", on_delete=models.CASCADE, related_name="cmi5_sessions"
    )
    unit = models.ForeignKey(
        "courses.Cmi5AssignableUnit", on_delete=models.CASCADE, related_name="+"
    )
    launch_mode = models.CharField(
        max_length=10, choices=LaunchMode.choices, default=LaunchMode.NORMAL
    )
    state = models.CharField(
        max_length=12, choices=SessionState.choices, default=SessionState.LAUNCHED
    )
    # The fetch URL's one-time token and the AU token it hands out: SHA-256 digests only.
    fetch_token_digest = models.CharField(max_length=64, unique=True)
    fetch_redeemed_at = models.DateTimeField(null=True, blank=True)
    auth_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    auth_secret_digest = models.CharField(max_length=64, blank=True)
    preferences_read = models.BooleanField(default=False)
    verbs = models.JSONField(default=list, help_text="cmi5 defined verbs sent in this session.")
    launched_at = models.DateTimeField(auto_now_add=True)
    initialized_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-launched_at", "-id"]

    def __str__(self):
        return f"cmi5 session {self.session_id}"

    @property
    def is_open(self) -> bool:
        return self.state in (SessionState.LAUNCHED, SessionState.INITIALIZED)


class Cmi5UnitStatus(models.Model):
    """What a registration has achieved in one AU (across its sessions)."""

    enrolment = models.ForeignKey(
        "learning.Enrolment", on_delete=models.CASCADE, related_name="cmi5_units"
    )
    unit = models.ForeignKey(
        "courses.Cmi5AssignableUnit", on_delete=models.CASCADE, related_name="+"
    )
    completed = models.BooleanField(default=False)
    passed = models.BooleanField(default=False)
    failed = models.BooleanField(default=False)
    waived = models.BooleanField(default=False)
    waive_reason = models.CharField(max_length=200, blank=True)
    satisfied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "unit"], name="cmi5_status_unique")
        ]

    def __str__(self):
        return f"{self.unit} for {self.enrolment}"


class Cmi5Satisfied(models.Model):
    """A block, or the course (block_id empty), satisfied in a registration: at most once."""

    enrolment = models.ForeignKey(
        "learning.Enrolment", on_delete=models.CASCADE, related_name="cmi5_satisfied"
    )
    block_id = models.TextField(blank=True, help_text="The publisher's block id; empty: course.")
    satisfied_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "block_id"], name="cmi5_satisfied_once")
        ]

    def __str__(self):
        return f"{self.block_id or 'course'} satisfied in {self.enrolment}"
