"""The site's address follows the port `make run` serves on in development; production reads
SITE_BASE_URL from the environment. Every absolute link is built from it.
"""

import json
import subprocess

from django.conf import settings

from tests.school.test_security import PRODUCTION_ENV, run_python

SHOW = """
import django, json
django.setup()
from django.conf import settings
from challenges.services.notifications import _url as absolute_url
from learners.xapi import activity_iri
print(json.dumps({
    "site": settings.SITE_BASE_URL,
    "admin": settings.WAGTAILADMIN_BASE_URL,
    "activity": activity_iri("course", "k"),
    "email_link": absolute_url("challenges:my_submissions"),
}))
"""
DEV_ENV = {"DJANGO_SETTINGS_MODULE": "school.settings.dev", "ENV_FILE": "/dev/null"}


def _show(env: dict) -> dict:
    result = run_python(SHOW, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_dev_site_address_follows_the_port_served():
    shown = _show({**DEV_ENV, "PORT": "8101"})
    assert shown["site"] == shown["admin"] == "http://127.0.0.1:8101"
    assert shown["activity"].startswith("http://127.0.0.1:8101/xapi/activities/")
    assert shown["email_link"] == "http://127.0.0.1:8101/challenges/submissions/"


def test_dev_site_address_defaults_to_port_8000_and_yields_to_site_base_url():
    assert _show(DEV_ENV)["site"] == "http://127.0.0.1:8000"
    given = {**DEV_ENV, "PORT": "8101", "SITE_BASE_URL": "https://dev.example.gov.uk/"}
    assert _show(given)["site"] == "https://dev.example.gov.uk"


def test_production_reads_the_site_address_from_the_environment():
    shown = _show({**PRODUCTION_ENV, "PORT": "8101", "SITE_BASE_URL": "https://skills.gov.uk"})
    assert shown["site"] == shown["admin"] == "https://skills.gov.uk"
    assert shown["email_link"] == "https://skills.gov.uk/challenges/submissions/"


def test_make_run_passes_its_port_to_every_command():
    dry_run = subprocess.run(  # noqa: S603 - make, in the repository
        ["make", "-n", "run", "PORT=8101", "STAMP=Makefile"],  # noqa: S607
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    commands = [line for line in dry_run.splitlines() if "manage.py" in line]
    assert len(commands) == 4
    assert all(line.startswith("PORT=8101 ") for line in commands)
    assert commands[-1].endswith("runserver 127.0.0.1:8101")
