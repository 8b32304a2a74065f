"""Wagtail admin: which departments each HR lead reports on (administrators only).

An HR lead sees the skills coverage of exactly the departments assigned here; the assignment
goes through `profile_hr_lead_set`, which also keeps the HR leads group in step.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from .models import Organisation, Profile, User
from .privacy.models import PersonalDataAccess
from .privacy.services import audit_record
from .selectors import user_hr_lead_organisations
from .services.profiles import profile_hr_lead_set

SEARCH_LIMIT = 20


class AdministratorsOnlyMixin:
    """Only administrators (superusers) change who may read a department's figures."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied("Only administrators can assign HR leads.")
        return super().dispatch(request, *args, **kwargs)


class HRLeadForm(forms.Form):
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="HR lead for",
        help_text="The departments whose skills coverage this person can see. Choose none to "
        "remove the HR lead role.",
    )

    def __init__(self, *args, current=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Live departments, plus any the person already leads so that saving keeps them.
        self.fields["organisations"].queryset = Organisation.objects.filter(
            Q(pk__in=Organisation.objects.live().departments()) | Q(pk__in=list(current))
        ).order_by("name")


class HRLeadIndexView(AdministratorsOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """The current HR leads and their departments; find anyone else by email to assign."""

    page_title = "HR leads"
    header_icon = "group"
    template_name = "learners/admin/hr_leads_index.html"
    breadcrumbs_items = [
        *WagtailAdminTemplateMixin.breadcrumbs_items,
        {"url": "", "label": "HR leads"},
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        leads = (
            Profile.objects.filter(hr_lead_for__isnull=False)
            .distinct()
            .select_related("user")
            .prefetch_related("hr_lead_for")
            .order_by("user__last_name", "user__first_name", "user__email")
        )
        found = []
        if query:
            found = list(
                User.objects.filter(
                    Q(email__icontains=query)
                    | Q(first_name__icontains=query)
                    | Q(last_name__icontains=query)
                ).order_by("email")[:SEARCH_LIMIT]
            )
        context.update({"leads": leads, "query": query, "found": found})
        return context


class HRLeadEditView(AdministratorsOnlyMixin, WagtailAdminTemplateMixin, FormView):
    """Set the departments one person is HR lead for."""

    page_title = "HR lead departments"
    header_icon = "group"
    form_class = HRLeadForm
    template_name = "learners/admin/hr_lead_edit.html"

    def dispatch(self, request, *args, **kwargs):
        self.person = get_object_or_404(User, pk=kwargs["user_id"])
        self.current = list(user_hr_lead_organisations(self.person).values_list("pk", flat=True))
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.person.display_name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("learners_hr_leads"), "label": "HR leads"},
            {"url": "", "label": self.person.email},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "current": self.current}

    def get_initial(self):
        return {"organisations": self.current}

    def get_context_data(self, **kwargs):
        if self.request.method == "GET":
            audit_record(
                actor=self.request.user,
                subject=self.person,
                action=PersonalDataAccess.Action.VIEWED,
                detail="HR lead departments in the admin",
            )
        return {**super().get_context_data(**kwargs), "person": self.person}

    def form_valid(self, form):
        organisations = list(form.cleaned_data["organisations"])
        profile_hr_lead_set(user=self.person, organisations=organisations)
        if organisations:
            names = ", ".join(organisation.name for organisation in organisations)
            messages.success(self.request, f"{self.person.email} is now HR lead for {names}.")
        else:
            messages.success(self.request, f"{self.person.email} is no longer an HR lead.")
        return redirect(reverse_lazy("learners_hr_leads"))
