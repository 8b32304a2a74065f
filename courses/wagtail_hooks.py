"""The DDaT capability framework in the Wagtail admin, as snippets editors can change.

`manage.py load_taxonomy` loads it from the published files; editors correct or extend it here.
"""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from courses.admin_views import Cmi5ImportView, catalogue_for
from courses.models import Role, RoleFamily, RoleLevel, Skill


class SkillViewSet(SnippetViewSet):
    model = Skill
    icon = "pick"
    list_display = ["name", "code"]
    search_fields = ["name", "code", "description"]
    search_backend_name = None
    list_per_page = 50
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("awareness_description"),
                FieldPanel("working_description"),
                FieldPanel("practitioner_description"),
                FieldPanel("expert_description"),
            ],
            heading="What the skill looks like at each level",
        ),
    ]


class RoleFamilyViewSet(SnippetViewSet):
    model = RoleFamily
    icon = "folder-open-inverse"
    menu_label = "Role families"
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    search_backend_name = None
    panels = [FieldPanel("name"), FieldPanel("code")]


class RoleViewSet(SnippetViewSet):
    model = Role
    icon = "group"
    list_display = ["name", "family", "code"]
    list_filter = ["family"]
    search_fields = ["name", "code", "description"]
    search_backend_name = None
    list_per_page = 50
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
        FieldPanel("family"),
        FieldPanel("description"),
    ]


class RoleLevelViewSet(SnippetViewSet):
    model = RoleLevel
    icon = "order"
    list_display = ["name", "role", "role_type", "in_use"]
    list_filter = ["role__family", "role", "in_use"]
    search_fields = ["name", "code", "role__name"]
    search_backend_name = None
    list_per_page = 50
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
        FieldPanel("role"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("role_type"), FieldPanel("in_use")]),
        InlinePanel(
            "requirements",
            heading="Skills this role level requires",
            label="Skill requirement",
            panels=[FieldPanel("skill"), FieldPanel("level"), FieldPanel("level_description")],
        ),
    ]

    def get_queryset(self, request):
        return RoleLevel.objects.select_related("role")


class FrameworkViewSetGroup(SnippetViewSetGroup):
    """One 'Skills framework' menu for the four parts of the DDaT framework."""

    menu_label = "Skills framework"
    menu_icon = "pick"
    menu_order = 300
    items = (RoleFamilyViewSet, RoleViewSet, RoleLevelViewSet, SkillViewSet)


register_snippet(FrameworkViewSetGroup)


@hooks.register("register_admin_urls")
def register_cmi5_import_url():
    return [path("cmi5/import/", Cmi5ImportView.as_view(), name="courses_cmi5_import")]


class Cmi5ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return catalogue_for(request.user) is not None


@hooks.register("register_admin_menu_item")
def register_cmi5_import_menu_item():
    return Cmi5ImportMenuItem(
        "Import cmi5 course", reverse("courses_cmi5_import"), icon_name="upload", order=250
    )
