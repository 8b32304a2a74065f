import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_passes_axe(live_server, page, axe, home_page):
    response = page.goto(live_server.url + "/")

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(home_page.title)
    axe(page)


def test_home_page_loads_govuk_frontend_css_fonts_and_script(live_server, page, home_page):
    responses = []
    failed = []
    page.on("response", lambda r: responses.append((r.status, r.url)))
    page.on("requestfailed", lambda r: failed.append(r.url))

    page.goto(live_server.url + "/")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")

    static = [(status, url) for status, url in responses if "/static/" in url]
    assert [(s, u) for s, u in static if s >= 400] == []
    assert failed == []
    loaded = {url.rsplit("/", 1)[-1] for status, url in static if status in (200, 304)}
    assert "govuk-frontend.min.css" in loaded
    assert "govuk-frontend.min.js" in loaded
    assert any(name.endswith(".woff2") for name in loaded), loaded
    # The GDS Transport font is in use and GOV.UK Frontend's JavaScript has run.
    heading_font = page.get_by_role("heading", level=1).evaluate(
        "h => getComputedStyle(h).fontFamily"
    )
    assert "GDS Transport" in heading_font
    assert page.evaluate("document.fonts.check('19px \"GDS Transport\"')")
    assert "govuk-frontend-supported" in page.evaluate("document.body.className")


def test_unknown_address_shows_the_govuk_404_page_and_passes_axe(live_server, page, axe, home_page):
    response = page.goto(live_server.url + "/no-such-page/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    axe(page)


def test_footer_information_pages_look_finished_and_pass_axe(live_server, page, axe, home_page):
    page.goto(live_server.url + "/")
    footer = page.locator("footer")
    for name, heading in [
        ("Accessibility statement", "Accessibility statement for the Public School of Technology"),
        ("Cookies", "Cookies"),
        ("Privacy", "Privacy notice"),
        ("Service status", "Service status"),
        ("xAPI for developers", "The xAPI endpoint"),
    ]:
        footer.get_by_role("link", name=name, exact=True).click()
        page.wait_for_load_state("load")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        axe(page)
