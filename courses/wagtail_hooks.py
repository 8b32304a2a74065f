"""The DDaT capability framework in the Wagtail admin, as snippets editors can change.

`manage.py load_taxonomy` loads it from the published files; editors correct or extend it here.
"""

from django import forms
from django.db.models import Q
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from courses.admin_views import Cmi5ImportView, catalogue_for
from courses.models import Role, RoleFamily, RoleLevel, Skill


class SkillSearchForm(BaseFilterForm):
    """The skill chooser's search box: part of a word of the name, code or description.

    A plain database filter rather than the search index: the framework's 189 skills are
    loaded in bulk by load_taxonomy, which the index would not see, and a substring match
    finds "secur" in "Information security" as an editor types.
    """

    q = forms.CharField(
        label="Search skills",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Search skills"}),
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            objects = objects.filter(
                Q(name__icontains=query)
                | Q(code__icontains=query)
                | Q(description__icontains=query)
            )
            self.is_searching = True
            self.search_query = query
        return objects


class SkillChooseView(ChooseView):
    filter_form_class = SkillSearchForm


class SkillChooseResultsView(ChooseResultsView):
    filter_form_class = SkillSearchForm


class SkillChooserViewSet(SnippetChooserViewSet):
    choose_view_class = SkillChooseView
    choose_results_view_class = SkillChooseResultsView


class SkillViewSet(SnippetViewSet):
    model = Skill
    icon = "pick"
    list_display = ["name", "code"]
    search_fields = ["name", "code", "description"]
    search_backend_name = None
    list_per_page = 50
    chooser_viewset_class = SkillChooserViewSet
    chooser_per_page = 20
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
