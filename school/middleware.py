"""Request-wide security rules that span the apps, so they live in the composition root.

- Undecodable input (a NUL byte or a lone surrogate in the path or a parameter) is refused
  with 400 before any view or database sees it.
- Privileged areas need the second factor in THIS session (learners.second_factor).
- Nothing shown to a signed-in person, or to an LRS client, is kept by a browser or proxy cache.
"""

from functools import cache

from allauth.mfa.utils import is_mfa_enabled
from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control

from challenges.permissions import manages_any_challenge
from learners.second_factor import second_factor_redirect, session_passed_second_factor
from learners.selectors import user_is_privileged

UNDECODABLE_INPUT = "The address or a parameter holds a character that cannot be used"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"

# Areas that show other people's work or figures: every role's pages and the Wagtail admin
# (which holds the LRS clients, forwarding targets, HR leads and course analytics).
PRIVILEGED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/reporting/",
    "/challenges/review/",
    "/challenges/manage/",
)


def _undecodable(text: str) -> bool:
    """A NUL, or a surrogate code point (never valid on its own in UTF-8 text)."""
    return "\x00" in text or any("\ud800" <= char <= "\udfff" for char in text)


def _values(query_dict):
    for key, values in query_dict.lists():
        yield key
        yield from values


class RejectUndecodableInputMiddleware:
    """400 for a NUL byte or a lone surrogate in the path, the query string or a urlencoded form.

    PostgreSQL cannot store or compare either, so without this any lookup by a URL parameter
    (a certificate code, a department code) would fail with a 500. Multipart forms are checked
    too, except under /xapi/, which is left to
    the LRS (its multipart statements read the raw body).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        texts = [request.path, *_values(request.GET)]
        if request.content_type == FORM_CONTENT_TYPE or (
            # Multipart forms too, but not the LRS's multipart statements: it reads the raw body.
            request.content_type == "multipart/form-data" and not request.path.startswith("/xapi/")
        ):
            texts.extend(_values(request.POST))
        if any(_undecodable(text) for text in texts):
            if request.path.startswith("/xapi/"):
                # The LRS answers every request in JSON, with the property and the rule.
                return JsonResponse(
                    {
                        "error": {
                            "message": UNDECODABLE_INPUT,
                            "property": "parameters",
                            "rule": "xAPI 1.0.3 Communication 2.2 (U+0000 and lone surrogates "
                            "cannot be stored)",
                        }
                    },
                    status=400,
                )
            raise BadRequest(UNDECODABLE_INPUT)
        return self.get_response(request)


@cache
def _second_factor_management_prefixes() -> tuple[str, ...]:
    """Pages that change or reveal a second factor: changing one needs one."""
    return (reverse("mfa_deactivate_totp"), reverse("mfa_view_recovery_codes"))


def user_needs_second_factor(user) -> bool:
    """Everyone beyond a plain learner: roles, staff, HR leads, admin access, challenge managers."""
    return user.is_authenticated and (user_is_privileged(user) or manages_any_challenge(user))


class SecondFactorMiddleware:
    """Privileged people reach their areas only once THIS session has passed the second factor.

    A session that has not is sent to enter a code (or, with no authenticator yet, to set one
    up). Pages that turn a second factor off or show recovery codes need it too, so a session
    that somehow holds only a password cannot swap the authenticator. Plain learners are never
    asked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        guarded = path.startswith(PRIVILEGED_PREFIXES) and user_needs_second_factor(user)
        if not guarded and path.startswith(_second_factor_management_prefixes()):
            guarded = is_mfa_enabled(user)
        if guarded and not session_passed_second_factor(request):
            return second_factor_redirect(request)
        return self.get_response(request)


class NoStoreMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in person or to a request
    with credentials (an LRS client): such pages show personal or departmental data.

    A view that is safe to cache opts in by setting `Cache-Control: public` itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        cache_control = response.get("Cache-Control", "")
        if "public" in cache_control or "no-store" in cache_control:
            return response  # the view chose: opted into caching, or already never stored
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            patch_cache_control(response, private=True, no_store=True)
        return response
