import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from learners.models import User
from learners.services.email_domains import NOT_GOVERNMENT_EMAIL, email_domain_is_allowed
from tests.factories.learners import DEFAULT_PASSWORD, UserFactory

NEW_PASSWORD = "a-long-new-passphrase-77"
CONFIRM_LINK = re.compile(r"http://testserver(/accounts/confirm-email/[^/\s]+/)")
RESET_LINK = re.compile(r"http://testserver(/accounts/password/reset/key/[^/\s]+/)")


def _signup(client, email, password=NEW_PASSWORD, password2=None, **names):
    data = {"first_name": "Ada", "last_name": "Okafor", **names}
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password2 or password, **data},
    )


def _login(client, email, password=DEFAULT_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("name@cabinetoffice.gov.uk", True),
        ("NAME@Digital.Cabinet-Office.GOV.UK", True),
        ("name@gov.uk", True),
        ("name@gmail.com", False),
        ("name@notgov.uk", False),
        ("name@gov.uk.example.com", False),
        ("not-an-email", False),
        ("", False),
    ],
)
def test_email_domain_is_allowed_matches_domain_and_subdomains_only(settings, email, allowed):
    settings.ALLOWED_EMAIL_DOMAINS = ["gov.uk"]
    assert email_domain_is_allowed(email) is allowed


def test_email_domain_is_allowed_follows_the_setting(settings):
    settings.ALLOWED_EMAIL_DOMAINS = ["gov.uk", ".mod.uk"]
    assert email_domain_is_allowed("officer@army.mod.uk")
    assert not email_domain_is_allowed("person@police.uk")


@pytest.mark.django_db
def test_signup_page_uses_govuk_labels_and_buttons(client):
    response = client.get(reverse("account_signup"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="govuk-label" for="id_first_name">Given name</label>' in html
    assert '<label class="govuk-label" for="id_last_name">Family name</label>' in html
    assert html.index('id="id_first_name"') < html.index('id="id_email"')
    assert 'autocomplete="given-name"' in html and 'autocomplete="family-name"' in html
    assert '<label class="govuk-label" for="id_email">Email address</label>' in html
    assert '<label class="govuk-label" for="id_password1">Password</label>' in html
    assert '<label class="govuk-label" for="id_password2">Confirm password</label>' in html
    assert ">Create account</button>" in html
    assert 'class="govuk-input' in html
    assert "<script>" not in html and "style=" not in html


@pytest.mark.django_db
def test_signup_with_a_government_email_sends_a_verification_link_that_signs_in(client):
    response = _signup(client, "new.person@education.gov.uk")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.person@education.gov.uk")
    assert (user.first_name, user.last_name) == ("Ada", "Okafor")
    assert user.display_name == "Ada Okafor"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    path = CONFIRM_LINK.search(mail.outbox[0].body).group(1)

    confirm_page = client.get(path)
    assert confirm_page.status_code == 200
    assert ">Confirm</button>" in confirm_page.content.decode()
    confirmed = client.post(path)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("learners:profile")).wsgi_request.user == user


@pytest.mark.django_db
def test_signup_with_a_personal_email_is_refused_with_the_error_summary(client):
    response = _signup(client, "someone@gmail.com")

    html = response.content.decode()
    assert response.status_code == 200
    assert not User.objects.filter(email="someone@gmail.com").exists()
    assert not EmailAddress.objects.exists()
    assert len(mail.outbox) == 0
    assert 'class="govuk-error-summary"' in html
    assert f'<a href="#id_email">{NOT_GOVERNMENT_EMAIL}</a>' in html
    assert 'id="id_email-error"' in html
    assert 'aria-describedby="id_email-hint id_email-error"' in html
    assert "<title>Error: Create an account" in html


@pytest.mark.django_db
def test_signup_with_mismatched_passwords_saves_nothing(client):
    response = _signup(client, "someone@hmrc.gov.uk", password2="something-else-entirely")

    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert not User.objects.filter(email="someone@hmrc.gov.uk").exists()


@pytest.mark.django_db
def test_signup_without_names_asks_for_them_and_saves_nothing(client):
    response = _signup(client, "no.name@hmrc.gov.uk", first_name=" ", last_name="")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_first_name">Enter your given name</a>' in html
    assert '<a href="#id_last_name">Enter your family name</a>' in html
    assert not User.objects.filter(email="no.name@hmrc.gov.uk").exists()


@pytest.mark.django_db
def test_login_page_uses_govuk_labels(client):
    html = client.get(reverse("account_login")).content.decode()

    assert '<label class="govuk-label" for="id_login">Email address</label>' in html
    assert '<label class="govuk-label" for="id_password">Password</label>' in html
    assert ">Sign in</button>" in html
    assert "Sign in with" not in html  # no single sign-on unless it is configured


@pytest.mark.django_db
def test_login_with_a_verified_account_signs_in(client):
    user = UserFactory()

    response = _login(client, user.email)

    assert response.status_code == 302
    assert client.get(reverse("learners:profile")).wsgi_request.user == user


@pytest.mark.django_db
def test_login_with_a_wrong_password_shows_the_error_summary(client):
    user = UserFactory()

    response = _login(client, user.email, password="wrong-password-here")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_login">' in html
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_login_with_an_unverified_email_is_held_until_it_is_confirmed(client):
    user = UserFactory(verified=False)

    response = _login(client, user.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not client.get(reverse("learners:profile")).wsgi_request.user.is_authenticated
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_login_is_rate_limited_after_repeated_failures(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/5m/ip,3/5m/key"}
    user = UserFactory()

    statuses = [_login(client, user.email, password="wrong-password").status_code for _ in range(3)]
    blocked = _login(client, user.email)

    assert statuses == [200, 200, 200]
    assert blocked.status_code in (200, 429)
    assert not client.get(reverse("learners:profile")).wsgi_request.user.is_authenticated
    assert "Too many failed login attempts" in blocked.content.decode()


@pytest.mark.django_db
def test_email_change_to_a_personal_address_is_refused(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "me@hotmail.co.uk"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert NOT_GOVERNMENT_EMAIL in html
    assert 'class="govuk-error-summary"' in html
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        user.email
    ]
    assert len(mail.outbox) == 0


@pytest.mark.django_db
def test_email_change_to_a_government_address_is_confirmed_before_it_replaces_the_old(client):
    user = UserFactory(email="before@example.gov.uk")
    client.force_login(user)

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "after@dwp.gov.uk"}
    )

    assert response.status_code == 302
    page = client.get(reverse("account_email")).content.decode()
    assert "Changing to" in page and "after@dwp.gov.uk" in page
    path = CONFIRM_LINK.search(mail.outbox[-1].body).group(1)
    client.post(path)
    user.refresh_from_db()
    assert user.email == "after@dwp.gov.uk"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        "after@dwp.gov.uk"
    ]


@pytest.mark.django_db
def test_password_reset_journey_sets_a_new_password(client):
    user = UserFactory()

    request_page = client.get(reverse("account_reset_password"))
    assert ">Send reset link</button>" in request_page.content.decode()
    sent = client.post(reverse("account_reset_password"), {"email": user.email})
    assert sent.status_code == 302
    assert "Check your email" in client.get(sent["Location"]).content.decode()
    key_path = RESET_LINK.search(mail.outbox[0].body).group(1)
    form_page = client.get(key_path, follow=True)
    assert '<label class="govuk-label" for="id_password1">New password</label>' in (
        form_page.content.decode()
    )
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else key_path

    mismatch = client.post(action, {"password1": NEW_PASSWORD, "password2": "nope-not-same"})
    assert 'class="govuk-error-summary"' in mismatch.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)

    done = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    assert "Your password has been changed" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_password_change_page_requires_the_current_password(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "not-my-password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert 'class="govuk-error-summary"' in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


@pytest.mark.django_db
def test_logout_page_asks_then_signs_out(client):
    client.force_login(UserFactory())

    page = client.get(reverse("account_logout"))
    assert ">Sign out</button>" in page.content.decode()
    client.post(reverse("account_logout"))

    assert not client.get(reverse("learners:profile")).wsgi_request.user.is_authenticated


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
)
def test_anonymous_account_pages_use_the_govuk_template(client, url_name):
    html = client.get(reverse(url_name)).content.decode()

    assert 'class="govuk-template' in html
    assert 'class="govuk-heading-l"' in html
    assert "<script>" not in html and "style=" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    ["account_email", "account_change_password", "account_logout", "mfa_index"],
)
def test_signed_in_account_pages_use_the_govuk_template(client, url_name):
    client.force_login(UserFactory())

    response = client.get(reverse(url_name))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-template' in html and 'class="govuk-heading-l"' in html
    assert "<script>" not in html and "style=" not in html


@pytest.mark.django_db
def test_login_with_an_incomplete_profile_prompts_to_complete_it(client):
    user = UserFactory()

    page = client.post(
        reverse("account_login"),
        {"login": user.email, "password": DEFAULT_PASSWORD, "next": reverse("learners:profile")},
        follow=True,
    )

    html = page.content.decode()
    assert "Complete your profile</a>" in html
    assert 'class="govuk-notification-banner__link"' in html
