"""A newcomer's first visit: create an account with a government email, confirm it, sign in.

Every page on the way is audited with axe-core (WCAG 2.2 AA). The live server runs in this
process, so the confirmation email lands in Django's locmem outbox (`mailoutbox`).
"""

import re

import pytest
from playwright.sync_api import expect

from learners.services.email_domains import NOT_GOVERNMENT_EMAIL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-and-unusual-passphrase-42"
# Accept allauth's stock wording too, so the journey does not hang on a relabelled field.
EMAIL_LABEL = re.compile(r"^Email( address)?$", re.IGNORECASE)
PASSWORD_LABEL = re.compile(r"^Password$", re.IGNORECASE)
CONFIRM_LABEL = re.compile(r"^(Confirm password|Password \(again\))$", re.IGNORECASE)
CREATE_ACCOUNT = re.compile(r"^(Create account|Sign up)$", re.IGNORECASE)
SIGN_IN = re.compile(r"^Sign in$", re.IGNORECASE)
CONFIRM_LINK = re.compile(r"https?://[^\s\"<>]+/accounts/confirm-email/[^\s\"<>]+")


def fill_signup_form(page, *, email: str) -> None:
    page.get_by_label("Given name").fill("Ada")
    page.get_by_label("Family name").fill("Okafor")
    page.get_by_label(EMAIL_LABEL).fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label(CONFIRM_LABEL).fill(PASSWORD)
    page.get_by_role("button", name=CREATE_ACCOUNT).click()
    page.wait_for_load_state("load")


def test_newcomer_signs_up_with_a_government_email_and_signs_in(
    live_server, page, axe, home_page, mailoutbox
):
    # Home page.
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(home_page.title)
    axe(page)

    # Create an account.
    page.get_by_role("link", name=re.compile(r"^Create an account$", re.IGNORECASE)).first.click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    axe(page)

    # A personal address is refused with the GOV.UK error summary; nothing is created.
    fill_signup_form(page, email="someone@example.com")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text(NOT_GOVERNMENT_EMAIL)
    expect(page.locator(".govuk-error-message")).to_contain_text(NOT_GOVERNMENT_EMAIL)
    axe(page)
    assert mailoutbox == []

    # A government address is accepted and a confirmation email is sent.
    email = "ada.lovelace@digital.cabinet-office.gov.uk"
    fill_signup_form(page, email=email)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"(Check|Verify) your email", re.IGNORECASE)
    )
    axe(page)
    assert [message.to for message in mailoutbox] == [[email]]
    links = CONFIRM_LINK.findall(mailoutbox[0].body)
    assert links, mailoutbox[0].body

    # Follow the link from the email and confirm.
    response = page.goto(links[0])
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"Confirm your email", re.IGNORECASE)
    )
    axe(page)
    page.get_by_role("button", name=re.compile(r"^Confirm$", re.IGNORECASE)).click()
    page.wait_for_load_state("load")
    axe(page)

    # Confirming in the same browser may sign the person in; start from signed out either way.
    sign_out = page.get_by_role("link", name=re.compile(r"^Sign out$", re.IGNORECASE))
    if sign_out.count():
        sign_out.first.click()
        axe(page)
        page.get_by_role("button", name=re.compile(r"^Sign out$", re.IGNORECASE)).click()
        page.wait_for_load_state("load")
        axe(page)

    # Sign in with the new account.
    page.get_by_role("link", name=SIGN_IN).first.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    axe(page)
    page.get_by_label(EMAIL_LABEL).fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name=SIGN_IN).click()
    page.wait_for_load_state("load")

    # Signed in: the page is the home page or the dashboard, with the account links.
    assert not page.url.rstrip("/").endswith("/accounts/login")
    expect(page.get_by_role("link", name=re.compile(r"^Sign out$", re.IGNORECASE))).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe(page)
    assert len(axe.audited) >= 8
