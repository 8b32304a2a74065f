"""The derived tables become UNLOGGED with free space on each page (PostgreSQL only).

Learner levels and coverage counts are computed from the statements and can be rebuilt at any
time, so they skip the write-ahead log: the incremental job and the rebuild write far less.
PostgreSQL empties unlogged tables after a crash; the job notices (`derived_rows_stored`) and
rebuilds. A fillfactor of 80 leaves room on each page, so most count and level updates are
HOT updates that touch no index.
"""

from django.db import migrations, models

DERIVED_TABLES = ("reporting_learnerskilllevel", "reporting_coveragecount")


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in DERIVED_TABLES:
        schema_editor.execute(f"ALTER TABLE {table} SET UNLOGGED")
        schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = 80)")


def logged(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in DERIVED_TABLES:
        schema_editor.execute(f"ALTER TABLE {table} SET LOGGED")
        schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="aggregationstate",
            name="derived_rows_stored",
            field=models.BooleanField(
                default=False,
                help_text="The learner levels table held rows after the last run. PostgreSQL "
                "empties unlogged tables after a crash; finding it empty then means: rebuild.",
            ),
        ),
        migrations.RunPython(unlogged, logged),
    ]
