"""LearnerSkillLevel is keyed by (user, skill, series), with no surrogate id.

The full rebuild creates the levels table afresh with one parallel CREATE TABLE AS and then
adds the key (reporting.services.aggregation); a surrogate id could not be filled that way.
Django cannot turn an existing primary key into a composite one, so the table is dropped and
created again: it is derived data, and the state row is reset so the next coverage run
rebuilds it from the statements.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

LEVELS_TABLE = "reporting_learnerskilllevel"


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {LEVELS_TABLE} SET UNLOGGED")
    schema_editor.execute(f"ALTER TABLE {LEVELS_TABLE} SET (fillfactor = 80)")


def rebuild_on_next_run(apps, schema_editor):
    apps.get_model("reporting", "AggregationState").objects.update(
        last_run_started=None, derived_rows_stored=False
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_derived_tables_unlogged"),
        ("courses", "0001_initial"),
        ("learners", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.DeleteModel(name="LearnerSkillLevel"),
        migrations.CreateModel(
            name="LearnerSkillLevel",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "user",
                        "skill",
                        "series",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "series",
                    models.CharField(
                        choices=[("evidenced", "Evidenced"), ("self", "Self-assessed")],
                        default="evidenced",
                        max_length=10,
                    ),
                ),
                (
                    "level",
                    models.PositiveSmallIntegerField(
                        choices=[(1, "Awareness"), (2, "Working"), (3, "Practitioner"), (4, "Expert")]
                    ),
                ),
                (
                    "grade",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="learners.grade",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="learners.organisation",
                    ),
                ),
                (
                    "profession",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="learners.profession",
                    ),
                ),
                (
                    "skill",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="courses.skill",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.RunPython(unlogged, migrations.RunPython.noop),
        migrations.RunPython(rebuild_on_next_run, migrations.RunPython.noop),
    ]
