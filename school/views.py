from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import backlog_status, broker_status, database_status, worker_status


def _health() -> tuple[dict, bool]:
    checks = {"database": database_status(), "broker": broker_status()}
    return checks, all(check["ok"] for check in checks.values())


@never_cache
@require_GET
def healthz(request):
    """Report database and broker status: 200 when both are up, otherwise 503.

    The worker's last heartbeat and the backlogs (last coverage run, oldest unsent forwarding
    row, parked rows) are shown too, for information and alerting only.
    """
    checks, healthy = _health()
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **checks,
            "worker": worker_status(),
            "backlog": backlog_status(),
        },
        status=200 if healthy else 503,
    )


@never_cache
@require_GET
def service_status(request):
    """The /healthz checks for people: the same figures, in words."""
    checks, healthy = _health()
    return render(
        request,
        "pages/status.html",
        {"healthy": healthy, **checks, "worker": worker_status()},
        status=200 if healthy else 503,
    )


def _lifetime(seconds: int | None) -> str:
    if seconds is None:
        return "Until you close your browser"
    span = timedelta(seconds=seconds)
    if span.days >= 364:
        return "1 year"
    if span.days >= 2:
        return f"{span.days} days"
    hours = span.seconds // 3600 + span.days * 24
    return f"{hours} hour{'s' if hours != 1 else ''}"


def cookies_in_use() -> list[dict]:
    """Every cookie the service sets, with its lifetime read from the settings in force."""
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "purpose": "Keeps you signed in and remembers your answers between pages",
            "expires": _lifetime(settings.SESSION_COOKIE_AGE),
        },
        {
            "name": settings.CSRF_COOKIE_NAME,
            "purpose": "Checks that forms you send come from this service (security)",
            "expires": _lifetime(settings.CSRF_COOKIE_AGE),
        },
        {
            "name": "messages",
            "purpose": "Carries a confirmation message (for example ‘Your review has been sent’) "
            "to the next page you see",
            "expires": "When the message is shown, or when you close your browser",
        },
    ]


@require_GET
def cookies(request):
    """The cookies page: only essential cookies, so no consent banner is needed."""
    return render(request, "pages/cookies.html", {"cookies": cookies_in_use()})


@require_GET
def xapi_developers(request):
    """For developers: where the xAPI endpoint is and how to get credentials."""
    return render(
        request,
        "pages/xapi.html",
        {"endpoint": f"{settings.SITE_BASE_URL}/xapi/", "home_page": settings.SITE_BASE_URL},
    )


@require_GET
def accessibility(request):
    """The accessibility statement (the model format for public sector websites)."""
    return render(request, "pages/accessibility.html", {"contact_email": settings.SUPPORT_EMAIL})


@require_GET
def privacy(request):
    """The privacy notice: what the service holds today, why, how long, rights, contact."""
    return render(request, "pages/privacy.html", {"contact_email": settings.SUPPORT_EMAIL})


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
