"""Single sign-on through OpenID Connect. Only the identity provider's HTTP endpoints are faked."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from learners.models import User

ISSUER = "https://login.example.test/tenant-1234/v2.0"
DISCOVERY = f"{ISSUER}/.well-known/openid-configuration"
AUTHORIZE = "https://login.example.test/tenant-1234/oauth2/v2.0/authorize"
TOKEN = "https://login.example.test/tenant-1234/oauth2/v2.0/token"
USERINFO = "https://graph.example.test/oidc/userinfo"
PROVIDER_ID = "entra"
LOGIN_URL = f"/accounts/oidc/{PROVIDER_ID}/login/"
CALLBACK_URL = f"/accounts/oidc/{PROVIDER_ID}/login/callback/"


@pytest.fixture
def oidc(settings):
    """The provider exactly as base.py builds it from OIDC_* variables."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": PROVIDER_ID,
                    "name": "Department SSO",
                    "client_id": "client-abc",
                    "secret": "secret-xyz",
                    "settings": {"server_url": ISSUER},
                }
            ],
        }
    }


class FakeIdentityProvider:
    """Answers the three HTTP calls allauth makes to an OpenID Connect provider."""

    def __init__(self, userinfo: dict):
        self.userinfo = userinfo
        self.calls: list[tuple[str, str]] = []

    def __call__(self, session, method, url, *args, **kwargs):
        self.calls.append((method.upper(), url))
        if (method.upper(), url) == ("GET", DISCOVERY):
            body = {
                "issuer": ISSUER,
                "authorization_endpoint": AUTHORIZE,
                "token_endpoint": TOKEN,
                "userinfo_endpoint": USERINFO,
                "jwks_uri": f"{ISSUER}/keys",
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
            }
        elif (method.upper(), url) == ("POST", TOKEN):
            body = {"access_token": "access-token-1", "token_type": "Bearer", "expires_in": 3600}
        elif (method.upper(), url) == ("GET", USERINFO):
            body = self.userinfo
        else:
            raise AssertionError(f"unexpected HTTP call {method} {url}")
        response = requests.Response()
        response.status_code = 200
        response._content = json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json"
        response.url = url
        return response


@pytest.fixture
def identity_provider(monkeypatch):
    def install(userinfo):
        fake = FakeIdentityProvider(userinfo)
        monkeypatch.setattr(
            requests.Session,
            "request",
            lambda session, method, url, *args, **kwargs: fake(session, method, url),
        )
        return fake

    return install


def _sign_in_through_provider(client):
    start = client.post(LOGIN_URL, {"process": "login"})
    assert start.status_code == 302
    query = parse_qs(urlparse(start["Location"]).query)
    return client.get(CALLBACK_URL, {"code": "authorisation-code", "state": query["state"][0]})


def test_oidc_provider_is_configured_from_the_environment():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("OIDC_") and key != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="school.settings.test",
        OIDC_SERVER_URL=ISSUER,
        OIDC_CLIENT_ID="client-from-env",
        OIDC_CLIENT_SECRET="secret-from-env",  # noqa: S105
        OIDC_PROVIDER_ID="entra",
        OIDC_PROVIDER_NAME="Example Department",
    )
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.SOCIALACCOUNT_PROVIDERS))"
    )
    root = Path(__file__).resolve().parents[2]

    def providers(environment):
        output = subprocess.run(  # noqa: S603
            [sys.executable, "-c", script],
            env=environment,
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return json.loads(output.strip().splitlines()[-1])["openid_connect"]

    configured = providers(env)
    assert configured["APPS"] == [
        {
            "provider_id": "entra",
            "name": "Example Department",
            "client_id": "client-from-env",
            "secret": "secret-from-env",
            "settings": {"server_url": ISSUER},
        }
    ]
    assert configured["OAUTH_PKCE_ENABLED"] is True
    env.pop("OIDC_SERVER_URL")
    assert providers(env)["APPS"] == []


@pytest.mark.django_db
def test_login_page_offers_single_sign_on_when_configured(client, oidc):
    html = client.get(reverse("account_login")).content.decode()

    assert "Sign in with Department SSO" in html
    assert f'href="{LOGIN_URL}?process=login' in html


@pytest.mark.django_db
def test_provider_login_redirects_to_the_configured_authorization_endpoint(
    client, oidc, identity_provider
):
    fake = identity_provider({})

    confirm = client.get(LOGIN_URL)
    start = client.post(LOGIN_URL, {"process": "login"})

    assert "Sign in with Department SSO" in confirm.content.decode()
    assert start.status_code == 302
    location = urlparse(start["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == AUTHORIZE
    query = parse_qs(location.query)
    assert query["client_id"] == ["client-abc"]
    assert query["redirect_uri"] == [f"http://testserver{CALLBACK_URL}"]
    assert query["response_type"] == ["code"]
    assert "openid" in query["scope"][0].split()
    assert query["code_challenge_method"] == ["S256"]
    assert fake.calls == [("GET", DISCOVERY)]


@pytest.mark.django_db
def test_sso_sign_up_with_a_personal_email_is_refused(client, oidc, identity_provider):
    identity_provider(
        {"sub": "user-1", "email": "someone@gmail.com", "email_verified": True, "name": "Some One"}
    )

    response = _sign_in_through_provider(client)

    html = response.content.decode()
    assert response.status_code == 200
    assert "You cannot create an account with this email address" in html
    assert 'class="govuk-heading-l"' in html
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_sso_sign_up_with_a_government_email_creates_a_verified_account(
    client, oidc, identity_provider
):
    fake = identity_provider(
        {
            "sub": "user-2",
            "email": "Pat.Lee@Digital.Cabinet-Office.gov.uk",
            "email_verified": True,
            "given_name": "Pat",
            "family_name": "Lee",
        }
    )

    response = _sign_in_through_provider(client)

    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "pat.lee@digital.cabinet-office.gov.uk"
    assert EmailAddress.objects.get(user=user).verified
    assert SocialAccount.objects.get(user=user).uid == "user-2"
    assert (user.first_name, user.last_name) == ("Pat", "Lee")
    assert client.get(reverse("learners:profile")).wsgi_request.user == user
    assert [call[1] for call in fake.calls] == [DISCOVERY, DISCOVERY, TOKEN, USERINFO]


@pytest.mark.django_db
def test_sso_signup_form_refuses_a_personal_email(rf, oidc):
    from allauth.socialaccount.adapter import get_adapter

    from learners.forms import SocialSignupForm
    from learners.services.email_domains import NOT_GOVERNMENT_EMAIL

    request = rf.get("/")
    provider = get_adapter().get_provider(request, PROVIDER_ID)
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
def test_sso_sign_up_takes_names_only_from_the_given_and_family_name_claims(
    client, oidc, identity_provider
):
    identity_provider(
        {
            "sub": "user-4",
            "email": "mary.ann.smith@ons.gov.uk",
            "email_verified": True,
            "name": "Mary Ann Smith",
        }
    )

    _sign_in_through_provider(client)

    user = User.objects.get()
    # No guess from splitting the display name ("Mary" / "Ann Smith"): the person is asked.
    assert (user.first_name, user.last_name) == ("", "")
    assert user.display_name == "mary.ann.smith@ons.gov.uk"


@pytest.mark.django_db
def test_sso_signup_form_asks_for_names_prefilled_from_the_claims(rf, oidc):
    from allauth.socialaccount.adapter import get_adapter

    from learners.forms import SocialSignupForm

    request = rf.get("/")
    provider = get_adapter().get_provider(request, PROVIDER_ID)
    sociallogin = provider.sociallogin_from_response(
        request, {"userinfo": {"sub": "user-5", "given_name": " Ife ", "family_name": "Bello"}}
    )

    form = SocialSignupForm(sociallogin=sociallogin)
    missing = SocialSignupForm(data={"email": "ife@ons.gov.uk"}, sociallogin=sociallogin)

    assert list(form.fields)[:2] == ["first_name", "last_name"]
    assert form.initial["first_name"] == "Ife" and form.initial["last_name"] == "Bello"
    assert missing.errors["first_name"] == ["Enter your given name"]


@pytest.mark.django_db
def test_connections_page_lists_the_provider_in_govuk_style(client, oidc):
    from tests.factories.learners import UserFactory

    client.force_login(UserFactory())

    html = client.get(reverse("socialaccount_connections")).content.decode()

    assert "Single sign-on accounts" in html
    assert "Sign in with Department SSO" in html
    assert "<script>" not in html and "style=" not in html


@pytest.mark.django_db
def test_sso_user_without_a_password_can_set_one(client):
    from tests.factories.learners import UserFactory

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
