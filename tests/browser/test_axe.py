import pytest

pytestmark = [pytest.mark.browser]


def test_axe_audit_fails_on_violations_and_names_rules_and_targets(page, axe):
    # The audit must not pass vacuously: a bare input without a label is a WCAG 2 A failure.
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Form</title></head>'
        '<body><main><input id="name" type="text"></main></body></html>'
    )

    with pytest.raises(pytest.fail.Exception) as failure:
        axe(page)

    message = str(failure.value)
    assert "- label (critical)" in message
    assert "#name" in message


def test_axe_audit_passes_an_accessible_page(page, axe):
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Form</title></head>'
        '<body><main><label for="name">Your name</label><input id="name" type="text"></main>'
        "</body></html>"
    )

    results = axe(page)

    assert results["violations"] == []


PAGE = (
    '<!DOCTYPE html><html lang="en"><head><title>{title}</title>{head}</head>'
    "<body><main>{body}</main></body></html>"
)


def _page(page, *, body, head="", title="Looked at"):
    page.set_content(PAGE.format(title=title, head=head, body=body))


def test_look_saves_screenshots_at_both_widths(page, look):
    _page(page, body="<h1>Fine</h1>", title="A fine page - Public School of Technology")

    shot = look(page)

    assert shot.name == "01-a-fine-page.png"
    assert shot.parent.name == "test-look-saves-screenshots-at-both-widths"
    assert shot.stat().st_size > 0 and shot.with_name("01-a-fine-page-320.png").exists()
    assert page.viewport_size["width"] == 1280  # put back after the narrow look


@pytest.mark.parametrize("token", ["{#", "{%", "{{"])
def test_look_fails_on_visible_template_syntax(page, look, token):
    _page(page, body=f"<p>{token} a comment that leaked</p>")

    with pytest.raises(pytest.fail.Exception, match="template syntax"):
        look(page)


def test_look_fails_on_lesson_text_outside_the_govuk_font(page, look):
    _page(page, body='<div class="school-prose"><p style="font-family: serif">Serif</p></div>')

    with pytest.raises(pytest.fail.Exception, match="GOV.UK font stack"):
        look(page)


def test_look_accepts_lesson_text_in_the_govuk_font(page, look):
    style = "<style>.school-prose { font-family: 'GDS Transport', arial, sans-serif; }</style>"
    _page(page, head=style, body='<div class="school-prose"><p>Sans</p></div>')

    look(page)


def test_look_fails_on_sideways_scrolling_at_320_px(page, look):
    _page(page, body='<p style="width: 400px" class="wide">Too wide</p>')

    with pytest.raises(pytest.fail.Exception, match=r"scrolls sideways at 320 px.*p\.wide"):
        look(page)
