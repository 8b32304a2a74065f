"""What learning needs beyond statements: enrolments, certificates and self-assessments.

Progress, scores and completion are never stored here: they are derived from statements.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models

from courses.models import SkillLevel


def new_verification_code() -> str:
    """An unguessable code for a certificate's public verification address (192 bits)."""
    return secrets.token_urlsafe(24)


class Enrolment(models.Model):
    """A learner on a course. The registration ties the attempt's statements together."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    registration = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="unique_enrolment"),
        ]

    def __str__(self):
        return f"{self.user} on {self.course_id}"


class Certificate(models.Model):
    """Proof of a completed course. Name, title and date are kept as issued."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    course = models.ForeignKey(
        "courses.CoursePage", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    holder_name = models.CharField(max_length=300)
    course_title = models.CharField(max_length=255)
    issued_at = models.DateTimeField()
    verification_code = models.CharField(
        max_length=64, unique=True, default=new_verification_code, editable=False
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="unique_certificate"),
        ]

    def __str__(self):
        return f"{self.course_title}: {self.holder_name}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class SelfAssessment(models.Model):
    """The level a learner believes they have in a skill. Never mixed with evidence."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_assessments"
    )
    skill = models.ForeignKey("courses.Skill", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(choices=SkillLevel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "skill"], name="unique_self_assessment"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4),
                name="self_assessment_level_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.skill} ({self.get_level_display()})"


# The cmi5 LMS's records live with the code that keeps them; Django finds models here.
from .cmi5.models import Cmi5Satisfied, Cmi5Session, Cmi5UnitStatus  # noqa: E402,F401
