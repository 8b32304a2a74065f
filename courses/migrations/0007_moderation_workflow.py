# Written by hand: every page change by an editor goes to a moderator before it is published.

from django.db import migrations

WORKFLOW = "Moderation of courses and challenges"
TASK = "Moderator approval"


def moderate(apps, schema_editor):
    """Editors may add and change pages but never publish them; one workflow, on the root of
    the page tree, sends every page (courses, lessons, assessments, challenges and any type
    added later) to the Moderators group for approval. Moderators and administrators approve,
    and may publish. Wagtail's install sets up something similar from the permissions it finds;
    this states the rule and restores it whatever the starting state.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    editors = Group.objects.get_or_create(name="Editors")[0]
    moderators = Group.objects.get_or_create(name="Moderators")[0]
    page_type = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")[0]
    publish = Permission.objects.get_or_create(
        content_type=page_type, codename="publish_page", defaults={"name": "Can publish any page"}
    )[0]
    GroupPagePermission.objects.filter(group=editors, permission=publish).delete()
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    GroupPagePermission.objects.get_or_create(group=moderators, page=root, permission=publish)
    task_type = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )[0]
    task = GroupApprovalTask.objects.get_or_create(
        name=TASK, defaults={"content_type": task_type, "active": True}
    )[0]
    task.groups.add(moderators)
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


def unmoderate(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowPage.objects.filter(workflow__name=WORKFLOW).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_cmi5_packages"),
        ("wagtailcore", "0090_remove_grouppagepermission_permission_type"),
    ]

    operations = [migrations.RunPython(moderate, unmoderate)]
