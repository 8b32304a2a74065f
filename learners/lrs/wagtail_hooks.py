"""Wagtail admin for the LRS: API clients (credentials) and forwarding targets (with their lag)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import IntegerField, OuterRef, Subquery, Sum
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log

from .forwarding import outbox_retry
from .models import ForwardingTarget, LRSClient, OutboxBatch, Scope
from .services import lrs_client_create

# --- Forwarding targets -------------------------------------------------------------------------


class ForwardingTargetForm(forms.ModelForm):
    endpoint = forms.URLField(
        max_length=500,
        assume_scheme="https",
        help_text=ForwardingTarget._meta.get_field("endpoint").help_text,
    )
    password = forms.CharField(
        label="Secret (password)",
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="HTTP Basic password or secret. Leave blank when editing to keep it.",
    )

    class Meta:
        model = ForwardingTarget
        fields = [
            "name",
            "endpoint",
            "username",
            "password",
            "verb_filter",
            "activity_filter",
            "enabled",
        ]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._current_password = self.instance.password if self.instance.pk else ""

    def clean_password(self):
        # The secret is never sent back to the browser, so an empty field means "unchanged".
        return self.cleaned_data["password"] or self._current_password


def _pending():
    return OutboxBatch.objects.filter(target=OuterRef("pk"), delivered__isnull=True)


class ForwardingTargetIndexView(generic.IndexView):
    def get_base_queryset(self):
        # Subqueries over the pending rows only (a partial index), never the delivered history.
        pending = _pending()
        failing = pending.exclude(last_error="").order_by("-last_attempt")
        return (
            super()
            .get_base_queryset()
            .annotate(
                pending_statements=Subquery(
                    pending.order_by().values("target").annotate(total=Sum("size")).values("total"),
                    output_field=IntegerField(),
                ),
                oldest_pending=Subquery(pending.order_by("created").values("created")[:1]),
                failing_attempts=Subquery(failing.values("attempts")[:1]),
                failing_error=Subquery(failing.values("last_error")[:1]),
            )
        )


def _pending_text(target) -> str:
    count = getattr(target, "pending_statements", None) or 0
    return f"{count:,} statements" if count else "None"


def _lag_text(target) -> str:
    oldest = getattr(target, "oldest_pending", None)
    return timesince(oldest) if oldest else "Up to date"


def _failure_text(target) -> str:
    error = getattr(target, "failing_error", None)
    if not error:
        return "None"
    attempts = target.failing_attempts or 0
    return f"{attempts} attempts; last error: {Truncator(error).chars(120)}"


class ForwardingTargetViewSet(ModelViewSet):
    model = ForwardingTarget
    icon = "resubmit"
    menu_label = "Forwarding targets"
    copy_view_enabled = False
    index_view_class = ForwardingTargetIndexView
    search_fields = ["name", "endpoint"]
    # No secret in any column: the listing shows where statements go and how far behind they are.
    list_display = [
        "name",
        "endpoint",
        BooleanColumn("enabled"),
        Column("pending", label="Pending", accessor=_pending_text),
        Column("lag", label="Oldest pending for", accessor=_lag_text),
        Column("failures", label="Failures", accessor=_failure_text),
    ]

    def get_form_class(self, for_update=False):
        return ForwardingTargetForm


# --- Parked forwarding rows ---------------------------------------------------------------------

PARKED_PAGE = 100


def _may_manage_forwarding(user) -> bool:
    return user.has_perm("lrs.change_forwardingtarget")


class ParkedOutboxViewSet(ViewSet):
    """Outbox rows parked as failed (the target kept refusing them), each with its error and a
    retry button. The admin's own login and MFA apply; changing forwarding is needed too.
    """

    name = "forwarding_parked"
    icon = "warning"
    menu_label = "Parked forwarding"

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("<int:pk>/retry/", self.retry_view, name="retry"),
        ]

    def index_view(self, request):
        if not _may_manage_forwarding(request.user):
            raise PermissionDenied
        rows = (
            OutboxBatch.objects.filter(failed__isnull=False, delivered__isnull=True)
            .select_related("target")
            .order_by("-failed", "-pk")[:PARKED_PAGE]
        )
        return TemplateResponse(
            request,
            "lrs/admin/parked_outbox.html",
            {
                "page_title": "Parked forwarding",
                "header_icon": self.icon,
                "rows": rows,
                "retry_url_name": self.get_url_name("retry"),
            },
        )

    def retry_view(self, request, pk: int):
        return _retry(request, pk, self.get_url_name("index"))


@require_POST
def _retry(request, pk: int, index_url_name: str):
    if not _may_manage_forwarding(request.user):
        raise PermissionDenied
    row = get_object_or_404(OutboxBatch, pk=pk)
    outbox_retry(outbox_id=row.pk)
    log(instance=row.target, action="wagtail.edit", user=request.user)
    messages.success(request, f"Outbox row {row.pk} ({row.size} statements) queued again.")
    return redirect(index_url_name)


# --- LRS clients --------------------------------------------------------------------------------


class LRSClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="What the client may do at /xapi/ (xAPI 1.0.3 Communication 4.2).",
    )

    class Meta:
        model = LRSClient
        fields = ["name", "scopes", "active"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)


class LRSClientCreateForm(LRSClientForm):
    class Meta(LRSClientForm.Meta):
        fields = ["name", "scopes"]


class LRSClientCreateView(generic.CreateView):
    """Creating a client shows its key and secret once; only the secret's hash is kept."""

    def save_instance(self):
        client, self.new_secret = lrs_client_create(
            name=self.form.cleaned_data["name"], scopes=self.form.cleaned_data["scopes"]
        )
        log(instance=client, action="wagtail.create", user=self.request.user)
        return client

    def save_action(self):
        response = TemplateResponse(
            self.request,
            "lrs/admin/lrs_client_created.html",
            {
                "page_title": f"LRS client {self.object.name} created",
                "header_icon": "key",
                "client": self.object,
                "secret": self.new_secret,
                "endpoint": f"{settings.SITE_BASE_URL}/xapi/",
                "index_url": self.get_success_url(),
            },
        )
        response["Cache-Control"] = "no-store"
        return response


class LRSClientViewSet(ModelViewSet):
    model = LRSClient
    icon = "key"
    menu_label = "API clients"
    copy_view_enabled = False
    add_view_class = LRSClientCreateView
    search_fields = ["name", "key"]
    list_display = [
        "name",
        "key",
        Column("scopes", label="Scopes", accessor=lambda c: ", ".join(c.scopes or [])),
        BooleanColumn("active"),
        "last_used_at",
    ]

    def get_form_class(self, for_update=False):
        return LRSClientForm if for_update else LRSClientCreateForm


class LRSViewSetGroup(ViewSetGroup):
    menu_label = "Learning Record Store"
    menu_icon = "list-ul"
    items = (LRSClientViewSet, ForwardingTargetViewSet, ParkedOutboxViewSet)


@hooks.register("register_admin_viewset")
def register_lrs_viewsets():
    return LRSViewSetGroup()
