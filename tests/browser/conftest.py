"""Browser test infrastructure: a look at each page as a person sees it (screenshots, template
syntax, the GOV.UK typeface, reflow at 320 px), an axe-core audit, and a site with its home page.
"""

import re
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


SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
# GOV.UK Frontend's govuk-font: what lesson text must be set in.
GOVUK_FONT = '"GDS Transport", arial, sans-serif'
NARROW = 320  # CSS px: WCAG 1.4.10 reflow (1280 px at 400% zoom)

# What a person would see on the page that only a template should ever have seen.
SEEN_TEMPLATE_SYNTAX = """() => {
  const text = document.body.innerText;
  return ["{#", "{%", "{{"].filter(token => text.includes(token)).map(token => {
    const at = text.indexOf(token);
    return text.slice(Math.max(0, at - 40), at + 80).replace(/\\s+/g, " ");
  });
}"""
PROSE_FONTS = """() => [...document.querySelectorAll(".school-prose p, .school-prose li")]
  .map(el => getComputedStyle(el).fontFamily)"""
# Sideways scrolling, with the elements that stick out past the right edge (deepest first).
SIDEWAYS = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const out = el => el.getBoundingClientRect().right > root.clientWidth + 1;
  const describe = el => el.tagName.toLowerCase()
    + (el.className ? "." + String(el.className).split(" ").join(".") : "")
    + " (" + Math.round(el.getBoundingClientRect().right) + " px): "
    + (el.innerText || "").slice(0, 60);
  const wide = [...document.body.querySelectorAll("*")]
    .filter(el => out(el) && ![...el.children].some(out))
    .slice(0, 5)
    .map(describe);
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide};
}"""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:90] or "page"


@pytest.fixture
def look(request):
    """Return look(page, name=None): see the page as a person would, and fail when they would
    notice something unfinished. Saves a full-page screenshot at the page's width and at 320 px
    under var/screenshots/<test>/NN-name.png (CI keeps them), then fails when the visible text
    shows template syntax, when lesson text is not in the GOV.UK typeface, or when the page
    scrolls sideways at 320 CSS px.
    """
    test = request.node.name.replace("[chromium]", "").replace("[chromium-", "[")
    folder = SCREENSHOTS / _slug(test)
    seen = []

    def check(page, name: str | None = None) -> Path:
        page.wait_for_load_state("load")
        if not seen and folder.exists():
            for old in folder.glob("*.png"):
                old.unlink()
        folder.mkdir(parents=True, exist_ok=True)
        seen.append(page.url)
        stem = f"{len(seen):02d}-{_slug(name or page.title().split(' - ')[0])}"
        shot = folder / f"{stem}.png"
        page.screenshot(path=shot, full_page=True)

        problems = []
        if leaks := page.evaluate(SEEN_TEMPLATE_SYNTAX):
            problems.append(f"template syntax in the visible text: {leaks}")
        fonts = page.evaluate(PROSE_FONTS)
        if off := sorted({font for font in fonts if not font.startswith(GOVUK_FONT)}):
            problems.append(f"lesson text not in the GOV.UK font stack {GOVUK_FONT}: {off}")

        size = page.viewport_size
        page.set_viewport_size({"width": NARROW, "height": size["height"]})
        try:
            sideways = page.evaluate(SIDEWAYS)
            page.screenshot(path=folder / f"{stem}-320.png", full_page=True)
        finally:
            page.set_viewport_size(size)
        if sideways:
            problems.append(
                f"scrolls sideways at {NARROW} px (scrollWidth {sideways['scrollWidth']} > "
                f"clientWidth {sideways['clientWidth']}); sticking out: {sideways['wide']}"
            )
        if problems:
            pytest.fail(f"{page.url} ({shot}):\n- " + "\n- ".join(problems), pytrace=False)
        return shot

    check.seen = seen
    return check


@pytest.fixture
def axe(look):
    """Return audit(page, name=None): look at the page (see `look`), then run axe-core on it
    as it is now; fail on any violation. Every journey calls this on every page it visits.
    """
    audited = []

    def audit(page, name: str | None = None) -> dict:
        look(page, name)
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
