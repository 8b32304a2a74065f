"""Single sign-on in a real browser, through a real OpenID provider (tests/sso_provider).

The provider is django-oauth-toolkit in its own process on 127.0.0.1 while the live server is
localhost (another origin): discovery, JWKS, PKCE, its own sign-in and consent pages. Reaching
its sign-in page after "Continue" is what the CSP's form-action used to block. The site's pages
are audited with axe-core; the provider's are not ours.
"""

import re
import socket

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from learners.models import User
from tests.conftest import SSO_PROVIDER_ID
from tests.factories.learners import (
    OrganisationFactory,
    UserFactory,
    hr_lead,
    totp_code,
    totp_enable,
)
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


def test_existing_account_owner_is_told_to_sign_in_and_connect(
    live_server, page, axe, home_page, identity_provider, mailoutbox
):
    UserFactory(email=USERS["owner"]["email"])

    page.goto(live_server.url + "/accounts/login/")
    continue_to_provider(page, axe, identity_provider)
    sign_in_at_provider(page, "owner")

    expect(page.get_by_role("heading", level=1)).to_have_text("You already have an account")
    expect(page.get_by_role("link", name="Single sign-on accounts")).to_be_visible()
    axe(page)
    assert mailoutbox == []
    assert not SocialAccount.objects.exists()


def test_provider_down_is_a_govuk_error_page(
    live_server, page, axe, home_page, identity_provider, settings
):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    apps = identity_provider.app_settings(SSO_PROVIDER_ID)
    apps["openid_connect"]["APPS"][0]["settings"]["server_url"] = f"http://127.0.0.1:{closed}/o"
    settings.SOCIALACCOUNT_PROVIDERS = apps

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name=SSO_BUTTON).click()
    response_status = []
    page.on("response", lambda response: response_status.append(response.status))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Single sign-on did not work")
    expect(page.get_by_text("We could not reach Test Department SSO")).to_be_visible()
    assert 503 in response_status and 500 not in response_status
    axe(page)


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
    expect(page.get_by_role("heading", level=1)).to_contain_text(department.name)
    axe(page)


def test_an_authorize_origin_missing_from_form_action_is_an_error_not_a_dead_button(
    live_server, page, axe, home_page, identity_provider, settings
):
    """Chromium refuses a form's redirect to an origin `form-action` does not list, and the
    person sees nothing happen (issue 10, point 9). The site checks the redirect first and
    shows an error page instead.
    """
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {**policy["DIRECTIVES"], "form-action": ["'self'"]},
    }

    page.goto(live_server.url + f"/accounts/oidc/{SSO_PROVIDER_ID}/login/?process=login")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Single sign-on did not work")
    assert page.url.startswith(live_server.url)
    axe(page)
