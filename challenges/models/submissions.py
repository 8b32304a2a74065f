"""Submissions, teams, files, mentor assignments, reviews and the audit trail."""

import uuid

from django.conf import settings
from django.db import models

from .pages import ChallengePage, RubricCriterion, ScoreLevel


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    SHORTLISTED = "shortlisted", "Shortlisted"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Submission(models.Model):
    """An entry to a challenge by one person or a team. Its status moves only through services."""

    challenge = models.ForeignKey(
        ChallengePage, on_delete=models.CASCADE, related_name="submissions"
    )
    # Opaque and stable: names the submission in xAPI statements.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(max_length=200)
    summary = models.TextField("your solution", blank=True)
    status = models.CharField(
        max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    # Each resubmission after a request for changes starts a new round of reviews.
    round = models.PositiveSmallIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_feedback = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["challenge", "status"])]

    def __str__(self):
        return self.title

    @property
    def reference(self) -> str:
        return f"S-{self.pk:05d}"

    @property
    def is_editable(self) -> bool:
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.CHANGES_REQUESTED)


class SubmissionMember(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="challenge_memberships"
    )
    is_lead = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_lead", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "user"], name="unique_submission_member")
        ]

    def __str__(self):
        return f"{self.user} in {self.submission}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a reply"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    CANCELLED = "cancelled", "Cancelled"


class Invitation(models.Model):
    """An invitation, by email address, to join a team's submission."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "email"],
                condition=models.Q(status="pending"),
                name="unique_pending_invitation",
            )
        ]

    def __str__(self):
        return f"Invitation for {self.email} to {self.submission}"


class SubmissionFile(models.Model):
    """A supporting file, kept in the private storage under a name of our choosing."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    storage_name = models.CharField(max_length=255, unique=True)
    original_name = models.CharField(max_length=255)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", "Assigned"
    CONFLICT = "conflict", "Conflict of interest declared"
    REMOVED = "removed", "Removed by a manager"


class MentorAssignment(models.Model):
    """A mentor asked to review a submission. One row per pair: a conflict, once declared, stays."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="challenge_assignments"
    )
    status = models.CharField(
        max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.ACTIVE
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when assigned automatically.",
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    conflict_reason = models.TextField(blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "mentor"], name="unique_assignment")
        ]
        indexes = [models.Index(fields=["mentor", "status"])]

    def __str__(self):
        return f"{self.mentor} reviews {self.submission}"


class Recommendation(models.TextChoices):
    REQUEST_CHANGES = "request_changes", "Request changes"
    SHORTLIST = "shortlist", "Shortlist"
    ACCEPT = "accept", "Accept"
    REJECT = "reject", "Reject"


class Review(models.Model):
    """A mentor's review of one round of a submission."""

    assignment = models.ForeignKey(
        MentorAssignment, on_delete=models.CASCADE, related_name="reviews"
    )
    round = models.PositiveSmallIntegerField()
    comments = models.TextField()
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices)
    weighted_score = models.DecimalField(
        max_digits=5, decimal_places=1, help_text="Weighted rubric score, 0 to 100."
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "round"], name="unique_review_per_round")
        ]

    def __str__(self):
        return f"Review of {self.assignment.submission} (round {self.round})"


class CriterionScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(choices=ScoreLevel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="unique_criterion_score"),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=4), name="criterion_score_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class SubmissionEvent(models.Model):
    """The audit trail: who did what to a submission, and when. Written only by services."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.action} on {self.submission} by {self.actor}"


class SentNotification(models.Model):
    """One row per email sent: its key makes a task that runs twice send once."""

    key = models.CharField(max_length=200, unique=True)
    recipient = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self):
        return self.key
