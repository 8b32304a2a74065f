"""Whether THIS session proved a second factor, and where to send a session that did not.

Having an authenticator is not enough: a session signed in with a password alone (or by any
route that skipped allauth's second-factor stage) must not reach a privileged area. allauth
records each way a session authenticated (`get_authentication_records`); a record with the
method "mfa" means a code from the person's authenticator was accepted in this session, at
sign-in or by re-authenticating.
"""

from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import reverse

MFA_METHOD = "mfa"
# Set when a person enrols an authenticator in this session: they typed a code from it then.
ENROLLED_IN_SESSION_KEY = "learners_mfa_enrolled_user"


def session_passed_second_factor(request) -> bool:
    """True when the signed-in user has an authenticator and used it in this session."""
    user = request.user
    if not user.is_authenticated or not is_mfa_enabled(user):
        return False
    records = get_authentication_records(request, user)
    if any(record.get("method") == MFA_METHOD for record in records):
        return True
    return request.session.get(ENROLLED_IN_SESSION_KEY) == str(user.pk)


def second_factor_redirect(request):
    """Send the session to prove its second factor, or to set one up, then come back."""
    query = urlencode({"next": request.get_full_path()})
    if is_mfa_enabled(request.user):
        return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
    return redirect(f"{reverse('learners:mfa_required')}?{query}")


def remember_enrolment(sender, request, user, authenticator, **kwargs) -> None:
    """On `authenticator_added` (allauth): turning on an authenticator app takes a code from
    it (after the password again), so this session has passed the second factor. Recovery codes
    prove nothing by being made, so they do not count.
    """
    if authenticator.type != Authenticator.Type.TOTP or request is None:
        return
    if request.user.is_authenticated and request.user.pk == user.pk:
        request.session[ENROLLED_IN_SESSION_KEY] = str(user.pk)
