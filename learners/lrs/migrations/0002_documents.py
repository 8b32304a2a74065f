# Written by H5 (document resources): state, activity profile, agent profile, activities.

from django.db import migrations, models


def _document_fields():
    return [
        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
        ("content", models.BinaryField(blank=True)),
        ("content_type", models.CharField(max_length=255)),
        ("etag", models.CharField(help_text="SHA-1 hex digest of the content", max_length=40)),
        ("updated", models.DateTimeField()),
        ("doc_key", models.CharField(editable=False, max_length=64, unique=True)),
        ("scope_key", models.CharField(editable=False, max_length=64)),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("lrs", "0001_forwarding"),
    ]

    operations = [
        migrations.CreateModel(
            name="Activity",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("activity_id", models.TextField()),
                ("activity_key", models.CharField(editable=False, max_length=64, unique=True)),
                ("definition", models.JSONField(blank=True, default=dict)),
                ("updated", models.DateTimeField()),
            ],
            options={"verbose_name_plural": "activities"},
        ),
        migrations.CreateModel(
            name="ActivityProfile",
            fields=[
                *_document_fields(),
                ("activity_id", models.TextField()),
                ("profile_id", models.TextField()),
            ],
            options={
                "verbose_name": "activity profile",
                "indexes": [models.Index(fields=["scope_key", "updated"], name="lrs_actprof_scope_idx")],
            },
        ),
        migrations.CreateModel(
            name="AgentProfile",
            fields=[
                *_document_fields(),
                ("agent_ifi", models.TextField(help_text="Canonical IFI from learners.lrs.identity.agent_ifi")),
                ("profile_id", models.TextField()),
            ],
            options={
                "verbose_name": "agent profile",
                "indexes": [models.Index(fields=["scope_key", "updated"], name="lrs_agentprof_scope_idx")],
            },
        ),
        migrations.CreateModel(
            name="StateDocument",
            fields=[
                *_document_fields(),
                ("activity_id", models.TextField()),
                ("agent_ifi", models.TextField(help_text="Canonical IFI from learners.lrs.identity.agent_ifi")),
                ("registration", models.UUIDField(blank=True, null=True)),
                ("state_id", models.TextField()),
            ],
            options={
                "verbose_name": "state document",
                "indexes": [models.Index(fields=["scope_key", "updated"], name="lrs_state_scope_idx")],
            },
        ),
    ]
