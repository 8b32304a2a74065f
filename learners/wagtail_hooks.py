"""Civil service reference data in the Wagtail admin: organisations, grades and professions;
and (administrators only) which departments each HR lead reports on.

`manage.py load_taxonomy` loads them from the published files; editors correct them here.
"""

import django_filters
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from learners.admin_views import HRLeadEditView, HRLeadIndexView
from learners.models import Grade, Organisation, Profession


def _organisation_formats():
    formats = Organisation.objects.exclude(format="").order_by("format").values_list("format")
    return [(value, value) for (value,) in formats.distinct()]


class OrganisationFilterSet(WagtailFilterSet):
    """Status and format filters; format offers the formats the loaded data has."""

    format = django_filters.ChoiceFilter(choices=_organisation_formats, label="Format")

    class Meta:
        model = Organisation
        fields = ["status", "format"]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "site"
    list_display = ["name", "abbreviation", "code", "format", "status"]
    filterset_class = OrganisationFilterSet
    search_fields = ["name", "abbreviation", "code", "slug"]
    search_backend_name = None
    list_per_page = 50
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("abbreviation"), FieldPanel("code"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("format"), FieldPanel("status")]),
        FieldPanel("web_url"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("closed_status"), FieldPanel("closed_at")])],
            heading="Closure",
        ),
        FieldPanel("parents"),
        FieldPanel("superseded_by"),
    ]


class GradeViewSet(SnippetViewSet):
    model = Grade
    icon = "list-ol"
    list_display = ["rank", "code", "name", "csrs_code", "responsibility_level"]
    search_fields = ["name", "code", "csrs_code"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name"), FieldPanel("rank")]),
        FieldRowPanel([FieldPanel("csrs_code"), FieldPanel("responsibility_level")]),
    ]


class ProfessionViewSet(SnippetViewSet):
    model = Profession
    icon = "tag"
    list_display = ["name", "parent", "code"]
    list_filter = ["parent"]
    search_fields = ["name", "code"]
    search_backend_name = None
    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("code")]), FieldPanel("parent")]

    def get_queryset(self, request):
        return Profession.objects.select_related("parent")


class CivilServiceViewSetGroup(SnippetViewSetGroup):
    """One 'Civil service' menu for the reference data people's profiles point at."""

    menu_label = "Civil service"
    menu_icon = "site"
    menu_order = 310
    items = (OrganisationViewSet, GradeViewSet, ProfessionViewSet)


register_snippet(CivilServiceViewSetGroup)


@hooks.register("register_admin_urls")
def register_hr_lead_urls():
    """Administrators assign HR leads to departments (learners/admin_views.py)."""
    return [
        path("hr-leads/", HRLeadIndexView.as_view(), name="learners_hr_leads"),
        path("hr-leads/<int:user_id>/", HRLeadEditView.as_view(), name="learners_hr_lead_edit"),
    ]


@hooks.register("register_settings_menu_item")
def register_hr_leads_menu_item():
    return AdminOnlyMenuItem("HR leads", reverse("learners_hr_leads"), icon_name="group", order=610)
