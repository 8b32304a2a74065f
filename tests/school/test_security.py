import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.conf import settings

from courses.demo import seed_home_page

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "school.settings.production",
    "ENV_FILE": "/dev/null",  # only the variables given here, never a developer's .env
    "SECRET_KEY": "a-production-like-key-" + "x" * 40,
    "ALLOWED_HOSTS": "testserver",
    "DATABASE_URL": "sqlite:////tmp/school-production-settings-test.sqlite3",
    "CELERY_BROKER_URL": "memory://",
    "CACHE_URL": "locmemcache://",
}


def run_python(code: str, *, env: dict) -> subprocess.CompletedProcess:
    """Run code in a fresh interpreter with only PATH and the given environment."""
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env={"PATH": os.environ["PATH"], **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class ScriptCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []
        self._inside = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._inside = dict(attrs)
            self.scripts.append({"attrs": self._inside, "body": ""})
        for name, _value in attrs:
            if name.startswith("on") or name == "style":
                self.scripts.append({"attrs": {name: _value}, "body": "inline attribute"})

    def handle_data(self, data):
        if self._inside is not None:
            self.scripts[-1]["body"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._inside = None


PUBLIC_PAGES = [
    ("/", 200),
    ("/accounts/login/", 200),
    ("/accounts/signup/", 200),
    ("/nowhere/", 404),
]


@pytest.mark.parametrize(("path", "status"), PUBLIC_PAGES)
@pytest.mark.django_db
def test_public_page_sends_a_strict_content_security_policy(client, path, status):
    seed_home_page()

    response = client.get(path)

    assert response.status_code == status
    policy = csp_directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] in {"DENY", "SAMEORIGIN"}


@pytest.mark.parametrize(("path", "status"), PUBLIC_PAGES)
@pytest.mark.django_db
def test_public_page_has_no_inline_script_or_style(client, path, status):
    seed_home_page()
    parser = ScriptCollector()
    response = client.get(path)

    assert response.status_code == status
    parser.feed(response.content.decode())

    assert parser.scripts, "the page should load its JavaScript from a file"
    inline = [s for s in parser.scripts if "src" not in s["attrs"] or s["body"].strip()]
    assert inline == []
    assert all(s["attrs"].get("type") == "module" for s in parser.scripts)


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = run_python("import school.settings.production", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_dev_settings_refuse_a_missing_secret_key_when_debug_is_off():
    env = {"DJANGO_SETTINGS_MODULE": "school.settings.dev", "ENV_FILE": "/dev/null"}

    with_debug = run_python("import school.settings.dev", env={**env, "DEBUG": "true"})
    without_debug = run_python("import school.settings.dev", env={**env, "DEBUG": "false"})

    assert with_debug.returncode == 0, with_debug.stderr
    assert without_debug.returncode != 0
    assert "SECRET_KEY" in without_debug.stderr


@pytest.mark.parametrize(
    "missing", ["ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"]
)
def test_production_requires_its_service_variables(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}

    result = run_python("import school.settings.production", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_passes_the_deployment_checks():
    result = run_python(
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        env=PRODUCTION_ENV,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_sends_hsts_and_secure_cookies_over_https():
    code = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
plain = client.get("/healthz")
secure = client.get("/healthz", secure=True)
print(json.dumps({
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "status": secure.status_code,
    "headers": dict(secure.headers),
    "cookies": {
        "session_secure": settings.SESSION_COOKIE_SECURE,
        "csrf_secure": settings.CSRF_COOKIE_SECURE,
        "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    },
}))
"""
    result = run_python(code, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["plain_status"] == 301
    assert seen["plain_location"] == "https://testserver/healthz"
    assert seen["status"] == 200
    headers = seen["headers"]
    assert re.fullmatch(
        r"max-age=31536000; includeSubDomains; preload", headers["Strict-Transport-Security"]
    )
    policy = csp_directives(headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert "upgrade-insecure-requests" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert seen["cookies"] == {
        "session_secure": True,
        "csrf_secure": True,
        "session_httponly": True,
    }


def test_production_reads_the_proxy_setting_for_the_client_address():
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.ALLAUTH_TRUSTED_PROXY_COUNT, "
        "settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER, "
        "settings.ACCOUNT_RATE_LIMITS['login_failed']]))"
    )

    default = run_python(code, env=PRODUCTION_ENV)
    configured = run_python(
        code,
        env={
            **PRODUCTION_ENV,
            "ALLAUTH_TRUSTED_PROXY_COUNT": "2",
            "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": "X-Real-IP",
        },
    )

    assert default.returncode == 0, default.stderr
    assert json.loads(default.stdout.strip().splitlines()[-1]) == [1, None, "30/5m/ip,5/5m/key"]
    assert json.loads(configured.stdout.strip().splitlines()[-1]) == [
        2,
        "X-Real-IP",
        "30/5m/ip,5/5m/key",
    ]


def test_env_example_lists_the_proxy_settings():
    names = {
        line.split("=", 1)[0]
        for line in (settings.BASE_DIR / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }

    assert {"ALLAUTH_TRUSTED_PROXY_COUNT", "ALLAUTH_TRUSTED_CLIENT_IP_HEADER"} <= names
