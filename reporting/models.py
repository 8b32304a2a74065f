"""Skills coverage: what the aggregation job keeps, and what HR leads set and read."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from courses.models import Skill, SkillLevel
from learners.models import Grade, Organisation, Profession


class Series(models.TextChoices):
    """Evidenced levels and self-assessed levels are separate series, never mixed."""

    EVIDENCED = "evidenced", "Evidenced"
    SELF_ASSESSED = "self", "Self-assessed"


class AggregationState(models.Model):
    """Where the incremental job has read up to. One row per job name; its row lock is the
    job's lock.
    """

    name = models.CharField(max_length=50, unique=True)
    watermark = models.BigIntegerField(default=0, help_text="Last statement pk folded in")
    profiles_watermark = models.DateTimeField(null=True, blank=True)
    last_run_started = models.DateTimeField(null=True, blank=True)
    last_run_finished = models.DateTimeField(null=True, blank=True)
    statements_processed = models.BigIntegerField(default=0)
    attesters = models.TextField(
        blank=True,
        default="",
        help_text="Who could attest evidence at the last run (AuthorityRule.digest): when an "
        "admin changes an evidence source, statements already stored count differently.",
    )
    derived_rows_stored = models.BooleanField(
        default=False,
        help_text="The learner levels table held rows after the last run. PostgreSQL empties "
        "unlogged tables after a crash; finding it empty then means: rebuild.",
    )

    def __str__(self):
        return f"{self.name} at {self.watermark}"


class EvidenceActivity(models.Model):
    """An activity whose pass or completion evidences a skill at a level (a course, its
    assessment, a challenge). Refreshed from the curriculum and the challenges by the job.
    """

    activity_iri = models.CharField(max_length=500)
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(choices=SkillLevel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity_iri", "skill"], name="unique_evidence_skill")
        ]

    def __str__(self):
        return f"{self.activity_iri} -> {self.skill_id}@{self.level}"


class LearnerSkillLevel(models.Model):
    """The highest level of a skill evidenced for a learner (or self-assessed), and where the
    learner was counted, so the department counts can be corrected when either changes.
    """

    # The key is the only index: it serves every query (by user), and the rebuild creates the
    # table afresh (see reporting.services.aggregation), which no surrogate id would survive.
    pk = models.CompositePrimaryKey("user", "skill", "series")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    series = models.CharField(max_length=10, choices=Series.choices, default=Series.EVIDENCED)
    level = models.PositiveSmallIntegerField(choices=SkillLevel.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    grade = models.ForeignKey(
        Grade,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    profession = models.ForeignKey(
        Profession,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    def __str__(self):
        return f"{self.user_id} {self.skill_id} {self.get_level_display()}"


class CoverageCount(models.Model):
    """People at a level of a skill, by department, grade and profession (finest grain)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # Plain keys, 0 for "not known": an aggregate row must be unique with or without them.
    grade_key = models.PositiveIntegerField(default=0)
    profession_key = models.PositiveIntegerField(default=0)
    skill = models.ForeignKey(
        Skill, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    series = models.CharField(max_length=10, choices=Series.choices)
    level = models.PositiveSmallIntegerField(choices=SkillLevel.choices)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "grade_key", "profession_key", "skill", "series", "level"],
                name="unique_coverage_cell",
            ),
            models.CheckConstraint(
                condition=models.Q(count__gte=0), name="coverage_count_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id}/{self.skill_id}/{self.level}: {self.count}"


class CoverageSnapshot(models.Model):
    """A department's coverage for one month, as true counts (protected when published)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    period = models.DateField(help_text="First day of the month")
    series = models.CharField(max_length=10, choices=Series.choices)
    counts = models.JSONField(help_text="[[grade_id, profession_id, skill_id, level, count], ...]")
    headcount = models.JSONField(help_text="[[grade_id, profession_id, count], ...]")
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period", "series"], name="unique_snapshot_period"
            )
        ]
        ordering = ["organisation", "period"]

    def __str__(self):
        return f"{self.organisation} {self.period:%Y-%m} {self.series}"


class SkillTarget(models.Model):
    """A department's target: this share of its people at or above this level of a skill."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(choices=SkillLevel.choices)
    target_percent = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "skill"], name="unique_skill_target")
        ]
        ordering = ["skill__name"]

    def __str__(self):
        return f"{self.organisation}: {self.target_percent}% {self.skill} >= {self.level}"


class HeadcountRecord(models.Model):
    """The department's real workforce by grade, from an uploaded HR headcount CSV."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="+")
    headcount = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "grade"], name="unique_headcount")
        ]

    def __str__(self):
        return f"{self.organisation} {self.grade}: {self.headcount}"


class ReportAccessLog(models.Model):
    """Every report view and export: who, what, when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=30)
    path = models.CharField(max_length=500)
    parameters = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        permissions = [("view_coverage", "Can view skills coverage reports")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.path}"
