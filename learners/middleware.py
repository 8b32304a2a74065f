"""Privileged areas need a second factor: mentors, HR leads, analysts, editors and admins."""

from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .selectors import user_is_privileged

# Where a privileged person may go before enrolling an authenticator.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/xapi/")


def _safe_next(request, default: str) -> str:
    candidate = request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


class PrivilegedAreaMFAMiddleware:
    """Send privileged users without MFA to the authenticator set-up page for privileged areas.

    It also closes the Wagtail admin's own sign-in and password reset pages, which would
    otherwise let someone in with a password alone, past allauth's second factor and rate
    limits: they redirect to the allauth equivalents.
    """

    PRIVILEGED_PREFIXES = (
        "/admin/",
        "/django-admin/",
        "/reporting/",
        "/challenges/review/",
        "/challenges/manage/",
    )
    ADMIN_LOGIN_PATH = "/admin/login/"
    ADMIN_PASSWORD_RESET_PREFIX = "/admin/password_reset/"  # noqa: S105 - a path

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if path == self.ADMIN_LOGIN_PATH:
            query = urlencode({"next": _safe_next(request, "/admin/")})
            return redirect(f"{reverse('account_login')}?{query}")
        if path.startswith(self.ADMIN_PASSWORD_RESET_PREFIX):
            return redirect("account_reset_password")
        user = request.user
        if (
            user.is_authenticated
            and path.startswith(self.PRIVILEGED_PREFIXES)
            and not path.startswith(MFA_EXEMPT_PREFIXES)
            and user_is_privileged(user)
            and not is_mfa_enabled(user)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('learners:mfa_required')}?{query}")
        return self.get_response(request)
