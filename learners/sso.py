"""Single sign-on failures: what went wrong, in words for the person and for the log."""

import logging
from dataclasses import dataclass
from functools import wraps
from http import HTTPStatus
from urllib.parse import urlsplit

import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.base.constants import AuthError
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from django.conf import settings
from django.shortcuts import render

logger = logging.getLogger("learners.sso")

# The problems templates/socialaccount/authentication_error.html explains to the person; the
# provider's own words and technical detail go to the log only.
UNREACHABLE = "unreachable"
REFUSED = "refused"
CANCELLED = "cancelled"
PROVIDER_ERROR = "provider_error"
EXPIRED = "expired"


@dataclass(frozen=True)
class SSOFailure:
    problem: str
    reason: str
    status: int


def _short(value, limit: int = 300) -> str:
    """One line of at most `limit` characters: provider text and query strings are untrusted."""
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    text = " ".join(text.split())
    return text[:limit] + ("..." if len(text) > limit else "")


def describe_failure(*, error, exception, query) -> SSOFailure:
    """Classify a failed sign-in by what allauth reports and what the provider sent back.

    `query` is the callback's query string (the provider's `error` and `error_description`).
    """
    if isinstance(exception, requests.ConnectionError | requests.Timeout):
        return SSOFailure(
            UNREACHABLE,
            f"provider unreachable: {type(exception).__name__}: {_short(exception)}",
            HTTPStatus.SERVICE_UNAVAILABLE,
        )
    if isinstance(exception, requests.HTTPError):
        response = exception.response
        status = response.status_code if response is not None else "no response"
        url = response.url if response is not None else ""
        return SSOFailure(
            PROVIDER_ERROR,
            f"provider answered HTTP {status} from {_short(url)}",
            HTTPStatus.UNAUTHORIZED,
        )
    if exception is not None:
        # OAuth2Error carries the token endpoint's answer (e.g. invalid_client for a wrong
        # secret) or the ID token check that failed; others are provider or permission errors.
        kind = "token or ID token refused" if isinstance(exception, OAuth2Error) else "error"
        return SSOFailure(
            PROVIDER_ERROR,
            f"{kind}: {type(exception).__name__}: {_short(exception)}",
            HTTPStatus.UNAUTHORIZED,
        )
    provider_error = query.get("error")
    if provider_error:
        description = query.get("error_description", "")
        reason = f"provider returned error={_short(provider_error, 60)!r}"
        if description:
            reason += f" error_description={_short(description)!r}"
        problem = CANCELLED if error == AuthError.CANCELLED else REFUSED
        return SSOFailure(problem, reason, HTTPStatus.UNAUTHORIZED)
    return SSOFailure(
        EXPIRED,
        "no sign-in in progress for this state (expired, replayed or another browser)",
        HTTPStatus.UNAUTHORIZED,
    )


def log_failure(*, provider_id: str, failure: SSOFailure) -> None:
    """One log line per failed single sign-on, with its reason; never a token or secret."""
    level = logging.INFO if failure.problem == CANCELLED else logging.WARNING
    logger.log(
        level,
        "Single sign-on with %s failed (%s): %s",
        provider_id,
        failure.problem,
        failure.reason,
    )


def _provider_unreachable_is_an_error_page(view):
    """Wrap an allauth OpenID Connect view so that a provider that cannot be reached (its
    discovery document fetched before allauth's own error handling starts) gets the
    authentication error page, not a 500.
    """

    @wraps(view)
    def guarded(request, provider_id):
        try:
            return view(request, provider_id)
        except requests.RequestException as exception:
            provider = get_adapter(request).get_provider(request, provider_id)
            return render_authentication_error(request, provider, exception=exception)

    return guarded


def _form_action_allows(url: str) -> bool:
    parts = urlsplit(url)
    if not parts.scheme:
        return True  # on this site: 'self'
    allowed = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].get("form-action", [])
    return f"{parts.scheme}://{parts.netloc}" in allowed


def _login(request, provider_id):
    """Start the sign-in, but refuse a redirect the CSP would make the browser block silently
    (the authorization endpoint on an origin missing from form-action), saying why in the log.
    """
    response = _guarded_login(request, provider_id)
    if response.status_code == HTTPStatus.FOUND and not _form_action_allows(response["Location"]):
        logger.error(
            "Single sign-on with %s failed (misconfigured): the authorization endpoint %s is not "
            "allowed by the CSP's form-action; set OIDC_AUTHORIZE_ORIGINS to its origin",
            provider_id,
            urlsplit(response["Location"])._replace(query="").geturl(),
        )
        provider = get_adapter(request).get_provider(request, provider_id)
        return render(
            request,
            "socialaccount/authentication_error.html",
            {"provider": provider, "problem": PROVIDER_ERROR},
            status=HTTPStatus.SERVICE_UNAVAILABLE,
        )
    return response


_guarded_login = _provider_unreachable_is_an_error_page(oidc_views.login)
# Mounted in school/urls.py over allauth's own paths for these two views.
oidc_login = wraps(oidc_views.login)(_login)
oidc_callback = _provider_unreachable_is_an_error_page(oidc_views.callback)
