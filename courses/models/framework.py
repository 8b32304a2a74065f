"""The Government Digital and Data Profession Capability Framework (DDaT).

Role family -> role -> role level; each role level requires skills, each at one of four levels.
"""

from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


class SkillLevel(models.IntegerChoices):
    """The framework's four levels, ordered so that a higher number means more capability."""

    AWARENESS = 1, "Awareness"
    WORKING = 2, "Working"
    PRACTITIONER = 3, "Practitioner"
    EXPERT = 4, "Expert"

    @classmethod
    def from_label(cls, label: str) -> "SkillLevel | None":
        """Map a framework label ('Practitioner') to a level; unknown labels give None."""
        wanted = (label or "").strip().casefold()
        return next((level for level in cls if level.label.casefold() == wanted), None)


class RoleFamily(models.Model):
    code = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "role families"

    def __str__(self):
        return self.name


class Role(models.Model):
    code = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200, unique=True)
    family = models.ForeignKey(RoleFamily, on_delete=models.PROTECT, related_name="roles")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class RoleLevel(ClusterableModel):
    """A level of a role; clusterable so editors manage its skill requirements inline."""

    code = models.SlugField(max_length=150, unique=True)
    name = models.CharField(max_length=200, unique=True)
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="levels")
    description = models.TextField(blank=True)
    role_type = models.CharField(max_length=100, blank=True)
    in_use = models.BooleanField(
        default=True,
        help_text=(
            "False for the framework's 'NOT IN USE' placeholder levels: the senior civil service "
            "chief roles, whose skills are listed without levels."
        ),
    )
    skills = models.ManyToManyField("Skill", through="RoleLevelSkill", related_name="role_levels")

    class Meta:
        ordering = ["role__name", "name"]

    def __str__(self):
        return self.name


class Skill(models.Model):
    code = models.SlugField(max_length=150, unique=True)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    awareness_description = models.TextField(blank=True)
    working_description = models.TextField(blank=True)
    practitioner_description = models.TextField(blank=True)
    expert_description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def level_description(self, level: int) -> str:
        return getattr(self, f"{SkillLevel(level).label.lower()}_description")


class RoleLevelSkill(models.Model):
    """A skill a role level requires, at a level."""

    role_level = ParentalKey(RoleLevel, on_delete=models.CASCADE, related_name="requirements")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="requirements")
    level = models.PositiveSmallIntegerField(choices=SkillLevel.choices)
    level_description = models.TextField(blank=True)

    class Meta:
        ordering = ["role_level", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["role_level", "skill"], name="unique_role_level_skill"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4),
                name="role_level_skill_level_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.role_level}: {self.skill} ({self.get_level_display()})"
