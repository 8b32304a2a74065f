"""A statement's own actor and object are no longer written as relation rows: the statement's
indexed columns hold them, and related_* queries read those columns too (RELATED_COLUMNS).
Removes the rows earlier versions wrote for them; a Group's members ("actor.member") stay.
"""

from django.db import migrations


def remove_actor_and_object_rows(apps, schema_editor):
    relation = apps.get_model("lrs", "StatementRelation")
    relation.objects.filter(usage__in=["actor", "object"]).delete()


class Migration(migrations.Migration):
    dependencies = [("lrs", "0006_client_void_scope_and_evidence_activities")]

    operations = [
        migrations.RunPython(remove_actor_and_object_rows, migrations.RunPython.noop),
    ]
