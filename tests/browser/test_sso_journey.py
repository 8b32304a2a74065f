"""Single sign-on in a real browser, through a real OpenID provider (tests/sso_provider).

The provider is django-oauth-toolkit in its own process on another loopback port (so another
origin): discovery, JWKS, PKCE, its own sign-in and consent pages. The site's pages are audited
with axe-core; the provider's are not ours.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from learners.models import User
from tests.conftest import SSO_PROVIDER_ID
from tests.factories.learners import OrganisationFactory, hr_lead, totp_code, totp_enable
from tests.sso_provider.process import PASSWORD, USERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SSO_BUTTON = "Sign in with Test Department SSO"
SIGN_OUT = re.compile(r"^Sign out$", re.IGNORECASE)


def continue_to_provider(page, axe, provider) -> None:
    """From the site's sign-in page: the SSO button, its confirmation page, then "Continue"."""
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    axe(page)
    page.get_by_role("button", name=SSO_BUTTON).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SSO_BUTTON)
    axe(page)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile("^" + re.escape(provider.base_url) + "/login/"))


def sign_in_at_provider(page, username: str) -> None:
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign in to the provider").click()
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_load_state("load")


def test_government_email_signs_in_by_sso_and_a_personal_one_is_refused(
    live_server, page, axe, home_page, identity_provider
):
    # A personal address from the provider: refused, with the reason, nothing created.
    page.goto(live_server.url + "/accounts/login/")
    continue_to_provider(page, axe, identity_provider)
    sign_in_at_provider(page, "gmail")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You cannot create an account with this email address"
    )
    axe(page)
    assert not User.objects.exists()

    # A government address: a new account, its email verified, signed in.
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    continue_to_provider(page, axe, identity_provider)
    sign_in_at_provider(page, "pat")
    assert page.url.startswith(live_server.url)
    expect(page.get_by_role("link", name=SIGN_OUT)).to_be_visible()
    axe(page)
    user = User.objects.get()
    assert user.email == USERS["pat"]["email"]
    assert EmailAddress.objects.get(user=user).verified
    assert SocialAccount.objects.get(user=user).uid == "pat"


def test_hr_lead_signing_in_by_sso_still_gives_the_second_factor(
    live_server, page, axe, home_page, identity_provider
):
    department = OrganisationFactory(code="D42", name="Department of Single Sign-On")
    lead = hr_lead(organisations=[department], email=USERS["hrlead"]["email"])
    secret = totp_enable(lead)
    SocialAccount.objects.create(user=lead, provider=SSO_PROVIDER_ID, uid="hrlead")

    page.goto(live_server.url + "/reporting/")
    continue_to_provider(page, axe, identity_provider)
    sign_in_at_provider(page, "hrlead")

    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your authenticator code")
    assert page.url.startswith(live_server.url)
    axe(page)
    # Not signed in yet: the department's figures are still out of reach.
    early = page.request.get(live_server.url + "/reporting/D42/", max_redirects=0)
    assert early.status == 302
    assert "/accounts/login/" in early.headers["location"]

    page.locator("input[name=code]").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/reporting/D42/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(department.name)
    axe(page)


def test_without_the_provider_in_form_action_the_browser_blocks_continue(
    live_server, page, home_page, identity_provider, settings
):
    """The failure the CSP change fixes, reproduced: with `form-action 'self'` Chromium refuses
    the redirect to the provider, and the person stays where they were.
    """
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {**policy["DIRECTIVES"], "form-action": ["'self'"]},
    }
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "form-action" in message.text else None,
    )

    page.goto(live_server.url + f"/accounts/oidc/{SSO_PROVIDER_ID}/login/?process=login")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_timeout(1500)

    assert not page.url.startswith(identity_provider.base_url)
    assert violations, "Chromium should report the form-action violation"
