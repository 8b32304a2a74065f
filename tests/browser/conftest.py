"""Browser test infrastructure: an axe-core audit and a site with its home page."""

from pathlib import Path

import axe_playwright_python
import pytest
from django.conf import settings
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from courses.demo import seed_home_page

# axe-core as bundled by axe-playwright-python; injected through CDP (page.evaluate), so the
# site's Content-Security-Policy, which allows no inline or foreign script, does not block it.
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} WCAG 2.2 AA violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    {target}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


@pytest.fixture
def axe():
    """Return audit(page): run axe-core on the page as it is now; fail on any violation."""
    audited = []

    def audit(page) -> dict:
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(AXE_SOURCE)
        results = page.evaluate(
            "options => axe.run(document, options)",
            {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]},
        )
        audited.append(page.url)
        if results["violations"]:
            pytest.fail(format_violations(page.url, results["violations"]), pytrace=False)
        return results

    audit.audited = audited
    return audit


@pytest.fixture
def home_page(transactional_db):
    """The site and its home page.

    live_server tests use a transactional database whose flush after each test also deletes the
    rows Wagtail's migrations made (default locale, root page), so rebuild those first.
    """
    if Page.get_first_root_node() is None:
        language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        Locale.objects.get_or_create(language_code=language)
        Page.add_root(instance=Page(title="Root", slug="root"))
    return seed_home_page()
