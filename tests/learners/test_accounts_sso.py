"""Single sign-on through OpenID Connect, against a real provider (tests/sso_provider).

The site runs in the test client as 127.0.0.1; the provider is django-oauth-toolkit in its own
process, reached over HTTP for discovery, JWKS, the token and userinfo; `process.authorize` acts
as the person's browser at the provider (its sign-in and consent pages).
"""

import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from learners.models import User
from tests.conftest import SSO_PROVIDER_ID
from tests.factories.learners import (
    DEFAULT_PASSWORD,
    OrganisationFactory,
    UserFactory,
    hr_lead,
    totp_enable,
)
from tests.sso_provider import process
from tests.sso_provider.process import USERS

LOGIN_URL = f"/accounts/oidc/{SSO_PROVIDER_ID}/login/"
CALLBACK_URL = f"/accounts/oidc/{SSO_PROVIDER_ID}/login/callback/"
ISSUER = "https://login.example.test/tenant-1234/v2.0"


@pytest.fixture
def client():
    """The site as 127.0.0.1: the provider accepts loopback callbacks on any port."""
    return Client(HTTP_HOST="127.0.0.1")


def start_sign_in(client, process_name="login"):
    start = client.post(LOGIN_URL, {"process": process_name})
    assert start.status_code == 302, start.content.decode()[:2000]
    return start["Location"]


def return_to_site(client, provider_redirect: str):
    back = urlparse(provider_redirect)
    assert back.path == CALLBACK_URL
    return client.get(f"{back.path}?{back.query}")


def sign_in_with_provider(client, username: str, *, allow=True, process_name="login"):
    authorize_url = start_sign_in(client, process_name)
    return return_to_site(client, process.authorize(authorize_url, username, allow=allow))


def signed_in_user(client):
    return client.get(reverse("learners:profile")).wsgi_request.user


# --- Settings --------------------------------------------------------------------------------


def settings_from_environment(**variables) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("OIDC_") and key != "DATABASE_URL"
    }
    env.update(DJANGO_SETTINGS_MODULE="school.settings.test", ENV_FILE="/dev/null", **variables)
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({'providers': settings.SOCIALACCOUNT_PROVIDERS, "
        "'form_action': settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']}))"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=False,
    )


def configured(**variables) -> dict:
    result = settings_from_environment(**variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_oidc_provider_and_form_action_are_configured_from_the_environment():
    seen = configured(
        OIDC_SERVER_URL=ISSUER,
        OIDC_CLIENT_ID="client-from-env",
        OIDC_CLIENT_SECRET="secret-from-env",
        OIDC_PROVIDER_ID="entra",
        OIDC_PROVIDER_NAME="Example Department",
    )

    assert seen["providers"]["openid_connect"]["APPS"] == [
        {
            "provider_id": "entra",
            "name": "Example Department",
            "client_id": "client-from-env",
            "secret": "secret-from-env",
            "settings": {"server_url": ISSUER},
        }
    ]
    assert seen["providers"]["openid_connect"]["OAUTH_PKCE_ENABLED"] is True
    assert seen["form_action"] == ["'self'", "https://login.example.test"]


def test_form_action_takes_the_explicit_authorize_origins_instead():
    seen = configured(
        OIDC_SERVER_URL=ISSUER,
        OIDC_AUTHORIZE_ORIGINS="https://sso.example.test:8443/any/path",
    )

    assert seen["form_action"] == ["'self'", "https://sso.example.test:8443"]


def test_without_single_sign_on_forms_may_only_post_to_the_site():
    seen = configured()

    assert seen["providers"]["openid_connect"]["APPS"] == []
    assert seen["form_action"] == ["'self'"]


@pytest.mark.parametrize(
    "variables",
    [
        {"OIDC_SERVER_URL": "http://login.example.test/tenant/v2.0"},
        {"OIDC_SERVER_URL": ISSUER, "OIDC_AUTHORIZE_ORIGINS": "http://sso.example.test"},
        {"OIDC_SERVER_URL": "login.example.test"},
    ],
)
def test_settings_refuse_a_provider_without_https_outside_loopback(variables):
    result = settings_from_environment(**variables)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


# --- Starting a sign-in ----------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_offers_single_sign_on_when_configured(client, identity_provider):
    html = client.get(reverse("account_login")).content.decode()

    assert "Sign in with Test Department SSO" in html
    assert f'href="{LOGIN_URL}?process=login' in html


@pytest.mark.django_db
def test_continue_redirects_to_the_authorization_endpoint_the_csp_allows(client, identity_provider):
    confirm = client.get(LOGIN_URL)
    location = urlparse(start_sign_in(client))

    form_action = confirm["Content-Security-Policy"].split("form-action ")[1].split(";")[0]
    assert form_action.split() == ["'self'", identity_provider.base_url]
    assert f"{location.scheme}://{location.netloc}" == identity_provider.base_url
    assert location.path == "/o/authorize/"
    query = parse_qs(location.query)
    assert query["client_id"] == [process.CLIENT_ID]
    assert query["redirect_uri"] == [f"http://127.0.0.1{CALLBACK_URL}"]
    assert query["response_type"] == ["code"]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}
    assert query["code_challenge_method"] == ["S256"]


@pytest.mark.django_db
def test_an_authorization_endpoint_the_csp_would_block_is_a_clear_error(
    client, identity_provider, settings, caplog
):
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {**policy["DIRECTIVES"], "form-action": ["'self'", "https://elsewhere.test"]},
    }

    with caplog.at_level(logging.ERROR, logger="learners.sso"):
        response = client.post(LOGIN_URL, {"process": "login"})

    assert response.status_code == 503
    assert "Single sign-on did not work" in response.content.decode()
    assert (
        f"the authorization endpoint {identity_provider.issuer}/authorize/ is not allowed by the "
        "CSP's form-action; set OIDC_AUTHORIZE_ORIGINS"
    ) in caplog.text


# --- Signing up and in -----------------------------------------------------------------------


@pytest.mark.django_db
def test_sso_sign_up_with_a_government_email_creates_a_verified_account(
    client, identity_provider, mailoutbox
):
    response = sign_in_with_provider(client, "pat")

    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == USERS["pat"]["email"]
    assert (user.first_name, user.last_name) == ("Pat", "Lee")
    assert EmailAddress.objects.get(user=user).verified
    assert SocialAccount.objects.get(user=user).uid == "pat"
    assert not user.has_usable_password()
    assert signed_in_user(client) == user
    assert mailoutbox == []


@pytest.mark.django_db
def test_sso_sign_up_with_a_personal_email_is_refused(client, identity_provider, caplog):
    with caplog.at_level(logging.WARNING, logger="learners.adapters"):
        response = sign_in_with_provider(client, "gmail")

    html = response.content.decode()
    assert response.status_code == 200
    assert "You cannot create an account with this email address" in html
    assert 'class="govuk-heading-l"' in html
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()
    assert not signed_in_user(client).is_authenticated
    assert "not a government email (claimed domain: 'gmail.com')" in caplog.text


@pytest.mark.django_db
def test_an_email_the_provider_says_is_unverified_must_be_confirmed(
    client, identity_provider, mailoutbox
):
    response = sign_in_with_provider(client, "unverified")

    user = User.objects.get()
    assert response.status_code == 302
    assert not EmailAddress.objects.get(user=user).verified
    assert not signed_in_user(client).is_authenticated
    assert [message.to for message in mailoutbox] == [[USERS["unverified"]["email"]]]


@pytest.mark.django_db
def test_without_email_verified_the_email_is_trusted_only_when_configured(
    client, identity_provider, settings, mailoutbox
):
    # Microsoft Entra ID sends no email_verified claim: untrusted, the person confirms by email.
    sign_in_with_provider(client, "entra")
    assert not EmailAddress.objects.get(email=USERS["entra"]["email"]).verified
    assert len(mailoutbox) == 1
    User.objects.all().delete()
    client.logout()

    settings.OIDC_TRUST_EMAILS = True
    response = sign_in_with_provider(client, "entra")

    user = User.objects.get()
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert signed_in_user(client) == user
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_trusted_emails_never_sign_in_to_an_existing_account(client, identity_provider, settings):
    settings.OIDC_TRUST_EMAILS = True
    owner = UserFactory(email=USERS["entra"]["email"])

    response = sign_in_with_provider(client, "entra")

    assert "You already have an account" in response.content.decode()
    assert not signed_in_user(client).is_authenticated
    assert not SocialAccount.objects.filter(user=owner).exists()


# --- An existing account ---------------------------------------------------------------------


@pytest.mark.django_db
def test_existing_account_owner_is_told_to_sign_in_then_connect(
    client, identity_provider, mailoutbox
):
    owner = UserFactory(email=USERS["owner"]["email"])

    response = sign_in_with_provider(client, "owner")

    html = response.content.decode()
    assert response.status_code == 200
    assert "You already have an account" in html
    assert "Sign in with your email address and password" in html
    assert reverse("socialaccount_connections") in html
    assert "Confirmation email sent" not in html and "finish setting up" not in html
    assert mailoutbox == []
    assert not signed_in_user(client).is_authenticated
    assert not SocialAccount.objects.exists()
    assert User.objects.get() == owner


@pytest.mark.django_db
def test_existing_account_owner_connects_sso_then_signs_in_with_it(client, identity_provider):
    owner = UserFactory(email=USERS["owner"]["email"])
    assert client.login(email=owner.email, password=DEFAULT_PASSWORD)

    connected = sign_in_with_provider(client, "owner", process_name="connect")

    assert connected.status_code == 302
    assert SocialAccount.objects.get(user=owner).uid == "owner"
    client.logout()
    response = sign_in_with_provider(client, "owner")
    assert response.status_code == 302
    assert signed_in_user(client) == owner


@pytest.mark.django_db
def test_privileged_user_signing_in_by_sso_is_asked_for_the_second_factor(
    client, identity_provider
):
    lead = hr_lead(organisations=[OrganisationFactory()], email=USERS["hrlead"]["email"])
    totp_enable(lead)
    SocialAccount.objects.create(user=lead, provider=SSO_PROVIDER_ID, uid="hrlead")

    response = sign_in_with_provider(client, "hrlead")

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not signed_in_user(client).is_authenticated


# --- Provider errors -------------------------------------------------------------------------


@pytest.mark.django_db
def test_wrong_client_secret_gives_a_clear_page_and_logs_the_reason(
    client, identity_provider, settings, caplog
):
    settings.SOCIALACCOUNT_PROVIDERS = identity_provider.app_settings(
        SSO_PROVIDER_ID, secret="not-the-secret"
    )

    with caplog.at_level(logging.WARNING, logger="learners.sso"):
        response = sign_in_with_provider(client, "pat")

    html = response.content.decode()
    assert response.status_code == 401
    assert '<h1 class="govuk-heading-l">Single sign-on did not work</h1>' in html
    assert "could not agree who you are" in html
    assert not User.objects.exists()
    assert "Single sign-on with idp failed (provider_error)" in caplog.text
    assert "invalid_client" in caplog.text
    assert "not-the-secret" not in caplog.text


@pytest.mark.django_db
def test_person_cancelling_at_the_provider_is_told_and_it_is_logged(
    client, identity_provider, caplog
):
    with caplog.at_level(logging.INFO, logger="learners.sso"):
        response = sign_in_with_provider(client, "pat", allow=False)

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "You did not finish signing in" in page.content.decode()
    assert "failed (cancelled): provider returned error='access_denied'" in caplog.text
    assert not User.objects.exists()


@pytest.mark.django_db
def test_provider_refusing_the_request_gives_a_clear_page_and_logs_its_error(
    client, identity_provider, settings, caplog
):
    # A scope the provider does not offer: it redirects back with error=invalid_scope.
    settings.SOCIALACCOUNT_PROVIDERS = identity_provider.app_settings(
        SSO_PROVIDER_ID, SCOPE=["openid", "email", "profile", "payroll"]
    )
    back = process.authorize(start_sign_in(client), "pat")

    with caplog.at_level(logging.WARNING, logger="learners.sso"):
        response = return_to_site(client, back)

    assert response.status_code == 401
    assert "did not let you sign in to this service" in response.content.decode()
    assert "failed (refused): provider returned error='invalid_scope'" in caplog.text
    assert not User.objects.exists()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def provider_at(settings, server_url: str) -> None:
    settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["settings"] = {
        "server_url": server_url
    }


@pytest.mark.django_db
def test_provider_down_gives_a_clear_page_not_a_500(client, identity_provider, settings, caplog):
    provider_at(settings, f"http://127.0.0.1:{closed_port()}/o")

    with caplog.at_level(logging.WARNING, logger="learners.sso"):
        response = client.post(LOGIN_URL, {"process": "login"})

    html = response.content.decode()
    assert response.status_code == 503
    assert "We could not reach Test Department SSO" in html
    assert 'class="govuk-heading-l"' in html
    assert "failed (unreachable): provider unreachable: ConnectionError" in caplog.text


@pytest.mark.django_db
def test_provider_going_down_before_the_callback_gives_a_clear_page(
    client, identity_provider, settings, caplog
):
    back = process.authorize(start_sign_in(client), "pat")
    provider_at(settings, f"http://127.0.0.1:{closed_port()}/o")

    with caplog.at_level(logging.WARNING, logger="learners.sso"):
        response = return_to_site(client, back)

    assert response.status_code == 503
    assert "We could not reach" in response.content.decode()
    assert "failed (unreachable)" in caplog.text
    assert not User.objects.exists()


@pytest.mark.django_db
def test_provider_that_never_answers_times_out_with_a_clear_page(
    client, identity_provider, settings, caplog
):
    settings.SOCIALACCOUNT_REQUESTS_TIMEOUT = 1
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # accepts connections (the backlog) and never answers
        provider_at(settings, f"http://127.0.0.1:{silent.getsockname()[1]}/o")
        with caplog.at_level(logging.WARNING, logger="learners.sso"):
            response = client.post(LOGIN_URL, {"process": "login"})

    assert response.status_code == 503
    assert "We could not reach" in response.content.decode()
    assert "provider unreachable: ReadTimeout" in caplog.text


@pytest.mark.django_db
def test_callback_without_a_sign_in_in_progress_is_explained(client, identity_provider, caplog):
    with caplog.at_level(logging.WARNING, logger="learners.sso"):
        response = client.get(CALLBACK_URL, {"code": "stolen-code", "state": "made-up"})

    assert response.status_code == 401
    assert "Your sign-in took too long" in response.content.decode()
    assert "failed (expired)" in caplog.text


# --- Forms and account pages -----------------------------------------------------------------


@pytest.mark.django_db
def test_sso_signup_form_refuses_a_personal_email(rf, identity_provider):
    from allauth.socialaccount.adapter import get_adapter

    from learners.forms import SocialSignupForm
    from learners.services.email_domains import NOT_GOVERNMENT_EMAIL

    request = rf.get("/")
    provider = get_adapter().get_provider(request, SSO_PROVIDER_ID)
    sociallogin = provider.sociallogin_from_response(request, {"userinfo": {"sub": "user-3"}})

    names = {"first_name": "Sam", "last_name": "Ng"}
    refused = SocialSignupForm(
        data={"email": "someone@yahoo.com", **names}, sociallogin=sociallogin
    )
    accepted = SocialSignupForm(
        data={"email": "someone@ons.gov.uk", **names}, sociallogin=sociallogin
    )

    assert refused.errors["email"] == [NOT_GOVERNMENT_EMAIL]
    assert accepted.is_valid(), accepted.errors
    assert refused.fields["email"].label == "Email address"


@pytest.mark.django_db
def test_sso_takes_names_only_from_the_given_and_family_name_claims(rf, identity_provider):
    from allauth.socialaccount.adapter import get_adapter

    request = rf.get("/")
    provider = get_adapter().get_provider(request, SSO_PROVIDER_ID)
    named = provider.sociallogin_from_response(
        request, {"userinfo": {"sub": "u-1", "given_name": " Ife ", "family_name": "Bello"}}
    )
    display_only = provider.sociallogin_from_response(
        request, {"userinfo": {"sub": "u-2", "name": "Mary Ann Smith"}}
    )

    assert (named.user.first_name, named.user.last_name) == ("Ife", "Bello")
    # No guess from splitting the display name ("Mary" / "Ann Smith"): the person is asked.
    assert (display_only.user.first_name, display_only.user.last_name) == ("", "")


@pytest.mark.django_db
def test_sso_signup_form_asks_for_names_prefilled_from_the_claims(rf, identity_provider):
    from allauth.socialaccount.adapter import get_adapter

    from learners.forms import SocialSignupForm

    request = rf.get("/")
    provider = get_adapter().get_provider(request, SSO_PROVIDER_ID)
    sociallogin = provider.sociallogin_from_response(
        request, {"userinfo": {"sub": "u-3", "given_name": "Ife", "family_name": "Bello"}}
    )

    form = SocialSignupForm(sociallogin=sociallogin)
    missing = SocialSignupForm(data={"email": "ife@ons.gov.uk"}, sociallogin=sociallogin)

    assert list(form.fields)[:2] == ["first_name", "last_name"]
    assert form.initial["first_name"] == "Ife" and form.initial["last_name"] == "Bello"
    assert missing.errors["first_name"] == ["Enter your given name"]


@pytest.mark.django_db
def test_account_page_links_to_single_sign_on_only_when_configured(client, settings):
    client.force_login(UserFactory())
    connections = f'href="{reverse("socialaccount_connections")}"'

    assert connections not in client.get(reverse("learners:profile")).content.decode()
    settings.SOCIALACCOUNT_PROVIDERS = process.IdentityProvider(
        base_url="http://127.0.0.1:1", process=None, log=None
    ).app_settings(SSO_PROVIDER_ID)
    assert connections in client.get(reverse("learners:profile")).content.decode()


@pytest.mark.django_db
def test_connections_page_lists_the_provider_in_govuk_style(client, identity_provider):
    client.force_login(UserFactory())

    html = client.get(reverse("socialaccount_connections")).content.decode()

    assert "Single sign-on accounts" in html
    assert "Sign in with Test Department SSO" in html
    assert "<script>" not in html and "style=" not in html


@pytest.mark.django_db
def test_sso_user_without_a_password_can_set_one(client):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)

    page = client.get(reverse("account_set_password")).content.decode()
    done = client.post(
        reverse("account_set_password"),
        {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"},
    )

    assert '<label class="govuk-label" for="id_password2">Confirm password</label>' in page
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase")
