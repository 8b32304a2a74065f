"""Reference data about the civil service: organisations, grades and professions."""

from django.db import models


class OrganisationQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status=Organisation.Status.LIVE)

    def departments(self):
        """Ministerial and non-ministerial departments: the units HR leads report on."""
        return self.filter(format__in=Organisation.DEPARTMENT_FORMATS)


class Organisation(models.Model):
    """A government organisation, from the GOV.UK organisations data."""

    class Status(models.TextChoices):
        LIVE = "live", "Live"
        CLOSED = "closed", "Closed"
        EXEMPT = "exempt", "Exempt"
        JOINING = "joining", "Joining"
        TRANSITIONING = "transitioning", "Transitioning"

    DEPARTMENT_FORMATS = ("Ministerial department", "Non-ministerial department")

    code = models.CharField(max_length=20, unique=True, help_text="GOV.UK analytics identifier")
    name = models.CharField(max_length=255, unique=True)
    slug = models.SlugField(max_length=255, unique=True)
    abbreviation = models.CharField(max_length=50, blank=True)
    format = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.LIVE)
    closed_status = models.CharField(max_length=50, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    web_url = models.URLField(blank=True)
    parents = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="children")
    superseded_by = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="supersedes",
        help_text="Successors after a machinery-of-government change",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "format"])]

    def __str__(self):
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class Grade(models.Model):
    """A civil service grade, ordered by rank (AA lowest, Permanent Secretary highest)."""

    code = models.CharField(max_length=10, unique=True)
    name = models.CharField(max_length=100, unique=True)
    rank = models.PositiveSmallIntegerField(unique=True)
    csrs_code = models.CharField(max_length=10, blank=True)
    responsibility_level = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["rank"]

    def __str__(self):
        return self.name


class Profession(models.Model):
    """A civil service profession (area of work), as a tree."""

    code = models.SlugField(max_length=150, unique=True)
    name = models.CharField(max_length=200, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
