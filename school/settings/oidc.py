"""Single sign-on settings that are derived, not read: the origins the CSP lets a form reach."""

from ipaddress import ip_address
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

LOOPBACK_NAMES = {"localhost"}


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def origin_of(url: str, *, setting: str) -> str:
    """The scheme://host[:port] of a URL; https is required except on a loopback address.

    An identity provider over plain http outside one machine would hand out codes and tokens
    that anyone on the path could read, so the settings refuse it rather than warn.
    """
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.scheme not in {"https", "http"} or not host:
        raise ImproperlyConfigured(f"{setting} must be an absolute http(s) URL, not {url!r}.")
    if parts.scheme == "http" and not _is_loopback(host):
        raise ImproperlyConfigured(
            f"{setting} must use https (plain http is allowed only on a loopback address)."
        )
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc = f"{netloc}:{parts.port}"
    return f"{parts.scheme}://{netloc}"


def form_action_origins(server_url: str, authorize_origins: list[str]) -> list[str]:
    """The origins besides 'self' that `form-action` allows: where "Continue" sends a person.

    Pressing "Continue" on the SSO page POSTs to this site, which redirects to the provider's
    authorization endpoint; browsers check `form-action` on that redirect too. By default the
    endpoint is taken to be on the issuer's origin (true of Microsoft Entra ID); a provider whose
    discovery document names another host needs OIDC_AUTHORIZE_ORIGINS. Nothing else is added.
    """
    if not server_url:
        return []
    issuer_origin = origin_of(server_url, setting="OIDC_SERVER_URL")
    if not authorize_origins:
        return [issuer_origin]
    return [origin_of(url, setting="OIDC_AUTHORIZE_ORIGINS") for url in authorize_origins]
