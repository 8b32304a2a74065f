"""Wagtail admin (administrators only): find a person, download their data, erase them, and
read the log of who handled personal data. Every look at a person's record is logged.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from learners.models import User

from . import selectors, services
from .forms import ErasureForm
from .models import PersonalDataAccess

SEARCH_LIMIT = 20
LOG_PAGE_SIZE = 50


class AdministratorsOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied("Only administrators handle personal data requests.")
        return super().dispatch(request, *args, **kwargs)


class PersonalDataIndexView(AdministratorsOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """Find a person by name or email address."""

    page_title = "Personal data"
    header_icon = "user"
    template_name = "privacy/admin/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:200]
        found = []
        if query:
            found = list(
                User.objects.filter(is_active=True)
                .filter(
                    Q(email__icontains=query)
                    | Q(first_name__icontains=query)
                    | Q(last_name__icontains=query)
                )
                .order_by("email")[:SEARCH_LIMIT]
            )
        return {**context, "query": query, "found": found}


class PersonMixin(AdministratorsOnlyMixin):
    def dispatch(self, request, *args, **kwargs):
        # The admin check first: nobody else learns whether an id exists.
        if not request.user.is_superuser:
            raise PermissionDenied("Only administrators handle personal data requests.")
        self.person = get_object_or_404(User, pk=kwargs["user_id"], is_active=True)
        return super().dispatch(request, *args, **kwargs)


class PersonView(PersonMixin, WagtailAdminTemplateMixin, TemplateView):
    """One person's personal-data page; opening it is logged."""

    page_title = "Personal data"
    header_icon = "user"
    template_name = "privacy/admin/person.html"

    def get_page_subtitle(self):
        return self.person.email

    def get_context_data(self, **kwargs):
        services.audit_record(
            actor=self.request.user,
            subject=self.person,
            action=PersonalDataAccess.Action.VIEWED,
            detail="personal data page in the admin",
        )
        return {
            **super().get_context_data(**kwargs),
            "person": self.person,
            "requests": self.person.access_requests.filter(requested_by=self.request.user),
            "log": selectors.access_log(subject=self.person)[:20],
        }


class PersonDownloadView(PersonMixin, View):
    """Produce a subject access download of this person (POST)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.sar_request(subject=self.person, requested_by=request.user)
        messages.success(request, "The download is being prepared; it appears below when ready.")
        return redirect("privacy_admin_person", user_id=self.person.pk)


class PersonEraseView(PersonMixin, WagtailAdminTemplateMixin, FormView):
    """Erase this person, with a reason kept in the erasure record."""

    page_title = "Erase a person"
    header_icon = "warning"
    template_name = "privacy/admin/erase.html"
    form_class = ErasureForm

    def get_page_subtitle(self):
        return self.person.email

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "person": self.person}

    def form_valid(self, form):
        try:
            record = services.person_erase(
                user_id=self.person.pk,
                requested_by=self.request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.ErasureError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(self.request, f"Erased. The record is kept as {record.pseudonym}.")
        return redirect("privacy_admin_index")


class AccessLogView(AdministratorsOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """Who handled whose personal data, newest first."""

    page_title = "Personal data access log"
    header_icon = "history"
    template_name = "privacy/admin/log.html"

    def get_context_data(self, **kwargs):
        paginator = Paginator(selectors.access_log(), LOG_PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("p"))
        return {
            **super().get_context_data(**kwargs),
            "rows": page,
            "index_url": reverse("privacy_admin_index"),
        }
