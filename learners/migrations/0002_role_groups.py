"""Create the groups behind the roles learners can hold.

Wagtail's own migrations create Editors and Moderators; these are the platform's other roles.
Group names are the values of learners.models.Role, copied here because migrations must not
import models that may change later.
"""

from django.db import migrations

ROLE_GROUPS = ("Mentors", "HR leads", "Central analysts")


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)


def remove_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=ROLE_GROUPS, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("learners", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
