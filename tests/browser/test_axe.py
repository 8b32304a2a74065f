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
