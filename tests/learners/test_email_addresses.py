"""Plain addresses only, at every place an email enters: one rule, each odd address refused with
its own clear message and nothing stored.
"""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from challenges import services as challenge_services
from challenges.models import Invitation
from learners.models import User
from learners.services import email_domains
from learners.services.email_domains import email_domain_is_allowed, email_normalise
from tests.factories.challenges import SubmissionFactory, create_challenge
from tests.factories.learners import DEFAULT_PASSWORD, ProfileFactory, UserFactory

NAMES = {"first_name": "Pat", "last_name": "Lee"}
# Each odd address, and the message that must refuse it.
ODD_ADDRESSES = [
    pytest.param('"x@evil.com"@gov.uk', email_domains.EMAIL_QUOTED, id="quoted-local-part"),
    pytest.param("x%evil.com@gov.uk", email_domains.EMAIL_PERCENT, id="percent-routing"),
    pytest.param("pat lee@dwp.gov.uk", email_domains.EMAIL_SPACES, id="space"),
    pytest.param("pat@dwp.gov.uk\u00a0x", email_domains.EMAIL_SPACES, id="no-break-space"),
    pytest.param("pat@dwp.gov\u200b.uk", email_domains.EMAIL_INVISIBLE, id="zero-width-space"),
    pytest.param("pat\u2060@dwp.gov.uk", email_domains.EMAIL_INVISIBLE, id="word-joiner"),
    pytest.param("pat@dwp.gov.u\u212a", email_domains.EMAIL_LOOKALIKE, id="kelvin-sign"),
    pytest.param("pat@dwp\uff0egov.uk", email_domains.EMAIL_LOOKALIKE, id="fullwidth-dot"),
    pytest.param("p\u0430t@dwp.gov.uk", email_domains.EMAIL_LOOKALIKE, id="cyrillic-a"),
]


@pytest.mark.parametrize(("address", "message"), ODD_ADDRESSES)
def test_email_normalise_refuses_an_odd_address_with_its_message(address, message):
    with pytest.raises(ValidationError) as error:
        email_normalise(address)

    assert error.value.messages == [message]
    assert not email_domain_is_allowed(address)


@pytest.mark.parametrize(
    ("address", "plain"),
    [
        ("Pat.Lee@DWP.GOV.UK", "Pat.Lee@dwp.gov.uk"),
        (
            "  pat+courses@digital.cabinet-office.gov.uk ",
            "pat+courses@digital.cabinet-office.gov.uk",
        ),
        ("o'brien@hmrc.gov.uk", "o'brien@hmrc.gov.uk"),
    ],
)
def test_email_normalise_keeps_a_plain_address_with_a_lower_case_domain(address, plain):
    assert email_normalise(address) == plain
    assert email_domain_is_allowed(address)


@pytest.mark.parametrize("address", ["pat@", "@dwp.gov.uk", "pat..lee@dwp.gov.uk", "pat@dwp"])
def test_email_normalise_refuses_a_malformed_address(address):
    with pytest.raises(ValidationError) as error:
        email_normalise(address)

    assert error.value.messages == [email_domains.EMAIL_FORMAT]


@pytest.mark.django_db
@pytest.mark.parametrize(("address", "message"), ODD_ADDRESSES)
def test_sign_up_refuses_an_odd_address(client, address, message):
    response = client.post(
        reverse("account_signup"),
        {**NAMES, "email": address, "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD},
    )

    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert not User.objects.exists()
    assert len(mail.outbox) == 0


@pytest.mark.django_db
def test_sign_up_stores_the_normalised_address(client):
    client.post(
        reverse("account_signup"),
        {
            **NAMES,
            "email": "Pat.Lee@DWP.Gov.UK",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
    )

    assert User.objects.get().email.endswith("@dwp.gov.uk")


@pytest.mark.django_db
@pytest.mark.parametrize(("address", "message"), ODD_ADDRESSES)
def test_email_change_refuses_an_odd_address(client, address, message):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("account_email"), {"action_add": "", "email": address})

    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        user.email
    ]
    assert len(mail.outbox) == 0


@pytest.fixture
def provider(rf, settings):
    """The OpenID Connect provider as the settings configure one (no HTTP is made here)."""
    from allauth.socialaccount.adapter import get_adapter

    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "entra",
                    "name": "Department SSO",
                    "client_id": "client-abc",
                    "secret": "secret-xyz",
                    "settings": {"server_url": "https://login.example.test/v2.0"},
                }
            ]
        }
    }
    return get_adapter().get_provider(rf.get("/"), "entra")


@pytest.mark.django_db
@pytest.mark.parametrize(("address", "message"), ODD_ADDRESSES)
def test_sso_sign_up_form_refuses_an_odd_address(rf, provider, address, message):
    from learners.forms import SocialSignupForm

    sociallogin = provider.sociallogin_from_response(rf.get("/"), {"userinfo": {"sub": "odd-1"}})

    form = SocialSignupForm(data={"email": address}, sociallogin=sociallogin)

    assert not form.is_valid()
    assert form.errors["email"] == [message]


@pytest.mark.django_db
@pytest.mark.parametrize(("address", "message"), ODD_ADDRESSES)
def test_sso_sign_up_is_closed_to_an_odd_address_from_the_provider(rf, provider, address, message):
    from learners.adapters import GovernmentSocialAccountAdapter

    request = rf.get("/")
    claims = {"sub": "odd-2", "email": address, "email_verified": True}
    sociallogin = provider.sociallogin_from_response(request, {"userinfo": claims})

    assert not GovernmentSocialAccountAdapter().is_open_for_signup(request, sociallogin)


@pytest.mark.django_db
@pytest.mark.parametrize(("address", "message"), ODD_ADDRESSES)
def test_team_invitation_refuses_an_odd_address(client, address, message):
    learner = UserFactory()
    ProfileFactory(user=learner)
    submission = SubmissionFactory(challenge=create_challenge(max_team_size=3), created_by=learner)
    client.force_login(learner)

    response = client.post(reverse("challenges:invite", args=[submission.pk]), {"email": address})

    assert response.status_code == 400
    assert escape(message) in response.content.decode()
    assert not Invitation.objects.exists()
    with pytest.raises(ValidationError) as error:
        challenge_services.invitation_create(
            submission_id=submission.pk, user=learner, email=address
        )
    assert error.value.message_dict == {"email": [message]}
    assert not Invitation.objects.exists()
