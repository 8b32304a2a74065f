"""Privileged areas need a second factor: mentors, HR leads, analysts, editors and admins."""

from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import reverse

from .selectors import user_is_privileged

# Where a privileged person may go before enrolling an authenticator.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/xapi/")


class PrivilegedAreaMFAMiddleware:
    """Send privileged users without MFA to the authenticator set-up page for privileged areas."""

    PRIVILEGED_PREFIXES = (
        "/admin/",
        "/django-admin/",
        "/reporting/",
        "/challenges/review/",
        "/challenges/manage/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        user = request.user
        if (
            user.is_authenticated
            and path.startswith(self.PRIVILEGED_PREFIXES)
            and not path.startswith(MFA_EXEMPT_PREFIXES)
            and user_is_privileged(user)
            and not is_mfa_enabled(user)
        ):
            return redirect(f"{reverse('learners:mfa_required')}?next={path}")
        return self.get_response(request)
