# Written by hand (H2, taxonomy): editors keep the civil service reference data up to date.

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ("organisation", "grade", "profession")
ACTIONS = ("add", "change", "view")


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure these exist now.
    app_config = apps.get_app_config("learners")
    app_config.models_module = True  # create_permissions skips apps without one
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="learners",
        content_type__model__in=MODELS,
        codename__in=[f"{action}_{model}" for action in ACTIONS for model in MODELS],
    )
    Group.objects.get_or_create(name="Editors")[0].permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="learners", content_type__model__in=MODELS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("learners", "0003_profile_updated_at"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
