from urllib.parse import urlencode

from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import broker_status, database_status, worker_status


@never_cache
@require_GET
def healthz(request):
    """Report database and broker status: 200 when both are up, otherwise 503.

    The worker's last heartbeat is shown too, for information only.
    """
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks, "worker": worker_status()},
        status=200 if healthy else 503,
    )


def sign_in_with_allauth(request, *args, **kwargs):
    """Leftover sign-in views (Django's `/_util/login/` from Wagtail's URLs, Wagtail's
    `/admin/login/`) sign nobody in: they would take a password alone, past allauth's rate
    limits, email verification and second factor. Any method lands on allauth's sign-in page.
    """
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    login_url = reverse("account_login")
    return redirect(f"{login_url}?{urlencode({'next': next_url})}" if next_url else login_url)


def reset_password_with_allauth(request, *args, **kwargs):
    """Wagtail's admin password reset would skip allauth's rate limits: use allauth's."""
    return redirect("account_reset_password")


def not_found(request, *args, **kwargs):
    """404 for an address that exists only to fail."""
    raise Http404("Nothing here")
