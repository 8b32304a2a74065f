"""cmi5 packages imported as courses: the course structure an LMS must keep (cmi5 section 13).

The package's course becomes a `CoursePage`, so it sits in the catalogue and is mapped to DDaT
skills like any other course. Its assignable units (AUs) keep their order, their enclosing
blocks and objectives, and the launch settings the LMS needs; its files live in storage under
an unguessable per-package key, so they can be served without the platform's session.
"""

import secrets

from django.db import models


def new_content_key() -> str:
    return secrets.token_urlsafe(24)


class MoveOn(models.TextChoices):
    PASSED = "Passed"
    COMPLETED = "Completed"
    COMPLETED_AND_PASSED = "CompletedAndPassed"
    COMPLETED_OR_PASSED = "CompletedOrPassed"
    NOT_APPLICABLE = "NotApplicable"


class LaunchMethod(models.TextChoices):
    ANY_WINDOW = "AnyWindow"
    OWN_WINDOW = "OwnWindow"


class Cmi5Package(models.Model):
    course = models.OneToOneField(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="cmi5_package"
    )
    publisher_id = models.TextField(help_text="The course id IRI the package declares.")
    content_key = models.CharField(max_length=64, unique=True, default=new_content_key)
    # Blocks (nested, in order) and objectives, as imported; AUs have rows of their own.
    structure = models.JSONField(default=dict)
    files = models.JSONField(default=list, help_text="Paths of the package's files, if zipped.")
    imported_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"cmi5 package {self.publisher_id}"


class Cmi5AssignableUnit(models.Model):
    package = models.ForeignKey(Cmi5Package, on_delete=models.CASCADE, related_name="units")
    position = models.PositiveIntegerField(help_text="Order in the course structure, from 0.")
    publisher_id = models.TextField()
    title = models.CharField(max_length=500)
    description = models.TextField(blank=True)
    url = models.TextField()
    move_on = models.CharField(max_length=20, choices=MoveOn.choices, default=MoveOn.NOT_APPLICABLE)
    launch_method = models.CharField(
        max_length=10, choices=LaunchMethod.choices, default=LaunchMethod.ANY_WINDOW
    )
    mastery_score = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    activity_type = models.TextField(blank=True)
    launch_parameters = models.TextField(blank=True)
    entitlement_key = models.TextField(blank=True)
    blocks = models.JSONField(default=list, help_text="Enclosing block ids, outermost first.")
    objectives = models.JSONField(default=list)

    class Meta:
        ordering = ["package", "position"]
        constraints = [
            models.UniqueConstraint(fields=["package", "position"], name="cmi5_au_position")
        ]

    def __str__(self):
        return self.title
