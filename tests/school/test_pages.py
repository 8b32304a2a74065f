"""The information pages linked from the footer: GOV.UK pages, not raw JSON."""

import re

import pytest
from django.conf import settings

from tests.factories.learners import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "/accessibility/": "Accessibility statement for the Public School of Technology",
    "/privacy/": "Privacy notice",
    "/cookies/": "Cookies",
    "/status/": "Service status",
    "/developers/xapi/": "The xAPI endpoint",
}


def _h1(html: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


@pytest.mark.parametrize(("url", "heading"), PAGES.items())
def test_information_pages_are_gov_uk_pages_linked_from_the_footer(client, url, heading):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert _h1(html) == heading
    footer = html[html.index('<footer class="govuk-footer">') :]
    assert f'href="{url}"' in footer


def test_the_footer_no_longer_links_to_raw_json(client):
    html = client.get("/cookies/").content.decode()
    footer = html[html.index('<footer class="govuk-footer">') :]
    assert 'href="/healthz"' not in footer and 'href="/xapi/about"' not in footer


def test_accessibility_statement_follows_the_model_format(client):
    html = client.get("/accessibility/").content.decode()
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        assert heading in html
    assert "axe-core" in html and "keyboard" in html
    assert settings.SUPPORT_EMAIL in html


def test_privacy_notice_names_the_data_held_and_the_contact(client):
    html = client.get("/privacy/").content.decode()
    for topic in ("xAPI statements", "files you upload", "reviews", "session", "server logs"):
        assert topic in html
    assert settings.SUPPORT_EMAIL in html


def test_cookies_page_lists_every_cookie_the_service_sets(client):
    user = UserFactory()
    client.get("/accounts/login/")
    response = client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    set_cookies = {name for name, morsel in client.cookies.items() if morsel.value}
    assert {"sessionid", "csrftoken", "messages"} <= set_cookies
    html = client.get("/cookies/").content.decode()
    listed = set(re.findall(r'<code class="school-code">([^<]+)</code>', html))
    assert set_cookies <= listed


def test_service_status_shows_the_health_checks_in_words(client):
    html = client.get("/status/").content.decode()
    assert "The service is working normally" in html
    assert "Database" in html and "Working" in html


def test_xapi_page_gives_the_endpoint_at_the_site_address(client, settings):
    settings.SITE_BASE_URL = "http://127.0.0.1:8101"
    html = client.get("/developers/xapi/").content.decode()
    assert "http://127.0.0.1:8101/xapi/" in html
