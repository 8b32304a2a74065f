"""Run the test identity provider as a subprocess and drive its pages without a browser."""

import json
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

from . import EMAIL_UNVERIFIED, EMAIL_VERIFIED_OMITTED

PROJECT_DIR = Path(__file__).resolve().parents[2]
CLIENT_ID = "public-school-of-technology"
CLIENT_SECRET = "provider-client-secret-for-tests"
PASSWORD = "provider-password-1"
CALLBACK_PATH = "/accounts/oidc/{provider_id}/login/callback/"

# Who can sign in at the provider. `sub` is the username.
USERS = {
    "pat": {
        "email": "pat.lee@digital.cabinet-office.gov.uk",
        "given_name": "Pat",
        "family_name": "Lee",
    },
    "gmail": {"email": "someone@gmail.com", "given_name": "Some", "family_name": "One"},
    "hrlead": {"email": "hr.lead@example.gov.uk", "given_name": "Harriet", "family_name": "Lead"},
    "owner": {"email": "existing.owner@example.gov.uk", "given_name": "Ed", "family_name": "Owner"},
    "entra": {
        "email": "sam.jones@hmrc.gov.uk",
        "given_name": "Sam",
        "family_name": "Jones",
        "groups": [EMAIL_VERIFIED_OMITTED],
    },
    "unverified": {
        "email": "casey.doe@ons.gov.uk",
        "given_name": "Casey",
        "family_name": "Doe",
        "groups": [EMAIL_UNVERIFIED],
    },
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class IdentityProvider:
    """A running provider: its issuer URL, the client registered for the site, its users."""

    base_url: str
    process: subprocess.Popen
    log: Path
    users: dict = field(default_factory=lambda: USERS)

    @property
    def issuer(self) -> str:
        return f"{self.base_url}/o"

    def app_settings(self, provider_id: str, *, secret: str = CLIENT_SECRET, **extra) -> dict:
        """SOCIALACCOUNT_PROVIDERS as school/settings/base.py builds it, pointing here."""
        return {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                **extra,
                "APPS": [
                    {
                        "provider_id": provider_id,
                        "name": "Test Department SSO",
                        "client_id": CLIENT_ID,
                        "secret": secret,
                        "settings": {"server_url": self.issuer},
                    }
                ],
            }
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start(workdir: Path, *, provider_ids: list[str], port: int | None = None) -> IdentityProvider:
    """Start the provider on a loopback port and wait until its discovery document answers."""
    port = port or int(os.environ.get("SSO_PROVIDER_PORT") or free_port())
    seed = {
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            # A loopback redirect URI matches any port (RFC 8252 section 7.3).
            "redirect_uris": [
                f"http://{host}" + CALLBACK_PATH.format(provider_id=provider_id)
                for provider_id in provider_ids
                for host in ("127.0.0.1", "localhost")
            ],
        },
        "users": [
            {"username": username, "password": PASSWORD, **person}
            for username, person in USERS.items()
        ],
    }
    seed_file = workdir / "seed.json"
    seed_file.write_text(json.dumps(seed))
    log = workdir / "provider.log"
    env = {
        **os.environ,
        "SSO_PROVIDER_DB": str(workdir / "provider.sqlite3"),
        "SSO_PROVIDER_PORT": str(port),
        "SSO_PROVIDER_SEED": str(seed_file),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our interpreter, our module
            [sys.executable, "-m", "tests.sso_provider"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    provider = IdentityProvider(base_url=f"http://127.0.0.1:{port}", process=process, log=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the identity provider exited:\n{log.read_text()}")
        try:
            discovery = f"{provider.issuer}/.well-known/openid-configuration"
            if requests.get(discovery, timeout=2).status_code == 200:
                return provider
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    provider.stop()
    raise RuntimeError(f"the identity provider did not start:\n{log.read_text()}")


def _form_fields(html: str) -> dict:
    """The hidden inputs of the page's form (CSRF token, the authorize request's parameters)."""
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[unescape(name.group(1))] = unescape(value.group(1)) if value else ""
    return fields


def authorize(authorize_url: str, username: str, *, allow: bool = True) -> str:
    """Act as the person's browser at the provider: sign in, answer the consent page.

    Returns the URL the provider redirects back to (the site's callback with code or error).
    """
    browser = requests.Session()
    provider = urlsplit(authorize_url)

    def visit(method: str, url: str, **kwargs):
        """Follow redirects while they stay at the provider; return (page, or the URL away)."""
        while True:
            answer = browser.request(method, url, allow_redirects=False, timeout=10, **kwargs)
            if answer.status_code not in (301, 302, 303, 307, 308):
                answer.raise_for_status()
                return answer, None
            url = urljoin(url, answer.headers["Location"])
            if urlsplit(url).netloc != provider.netloc:
                return None, url
            method, kwargs = "GET", {}

    page, away = visit("GET", authorize_url)
    if away is None and "/login/" in page.url:
        fields = {**_form_fields(page.text), "username": username, "password": PASSWORD}
        page, away = visit("POST", page.url, data=fields, headers={"Referer": page.url})
    if away is None:
        consent = _form_fields(page.text)
        if allow:
            consent["allow"] = "Authorize"
        page, away = visit("POST", page.url, data=consent, headers={"Referer": page.url})
    assert away is not None, page.text[:2000]
    return away
