import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.urls import reverse

from learners.models import Role
from tests.factories.learners import (
    DEFAULT_PASSWORD,
    OrganisationFactory,
    ProfileFactory,
    UserFactory,
    hr_lead,
    sign_in_with_second_factor,
    totp_code,
    totp_enable,
)

MFA_REQUIRED = "/accounts/mfa-required/"
MFA_REAUTHENTICATE = "/accounts/2fa/reauthenticate/"
SECRET = re.compile(r'<code id="authenticator-secret">([A-Z2-7]+)</code>')


def _login(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    return response


def _fresh_code(secret):
    """A code from the current step; wait for a new step if it is about to expire."""
    if time.time() % 30 > 27:
        time.sleep(3)
    return totp_code(secret)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kwargs",
    [
        {"roles": [Role.MENTOR.value]},
        {"roles": [Role.HR_LEAD.value]},
        {"roles": [Role.ANALYST.value]},
        {"roles": [Role.EDITOR.value]},
        {"is_staff": True},
        {"is_superuser": True},
    ],
)
@pytest.mark.parametrize("path", ["/reporting/", "/challenges/review/", "/admin/"])
def test_privileged_user_without_mfa_is_sent_to_set_it_up(client, kwargs, path):
    client.force_login(UserFactory(**kwargs))

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(MFA_REQUIRED)
    assert f"next={path.replace('/', '%2F')}" in response["Location"]


@pytest.mark.django_db
def test_hr_lead_assignment_alone_makes_a_user_privileged(client):
    user = UserFactory()
    ProfileFactory(user=user).hr_lead_for.add(OrganisationFactory())
    client.force_login(user)

    response = client.get("/reporting/")

    assert response["Location"].startswith(MFA_REQUIRED)


@pytest.mark.django_db
def test_privileged_user_who_used_their_totp_in_this_session_gets_through(client):
    user = hr_lead(organisations=[OrganisationFactory(code="D76")])
    sign_in_with_second_factor(client, user)

    response = client.get("/reporting/D76/")

    assert response.status_code == 200


@pytest.mark.django_db
def test_a_session_without_the_second_factor_is_sent_to_enter_a_code_then_gets_through(client):
    """Having an authenticator is not enough: this session must have used it."""
    user = hr_lead(organisations=[OrganisationFactory(code="D75")])
    secret = totp_enable(user)
    client.force_login(user)  # a session that never passed the second factor

    sent = client.get("/reporting/D75/?page=2")

    assert sent.status_code == 302
    assert sent["Location"] == f"{MFA_REAUTHENTICATE}?next=%2Freporting%2FD75%2F%3Fpage%3D2"
    page = client.get(sent["Location"]).content.decode()
    assert 'id="id_code"' in page
    refused = client.post(sent["Location"], {"code": "000000"})
    assert refused.status_code == 200
    assert client.get("/reporting/D75/")["Location"].startswith(MFA_REAUTHENTICATE)

    done = client.post(sent["Location"], {"code": _fresh_code(secret)})

    assert done.status_code == 302
    assert done["Location"] == "/reporting/D75/?page=2"
    assert client.get("/reporting/D75/").status_code == 200


@pytest.mark.django_db
def test_a_session_without_the_second_factor_cannot_turn_it_off_or_see_recovery_codes(client):
    user = UserFactory()
    totp_enable(user)
    client.force_login(user)

    for name in ("mfa_deactivate_totp", "mfa_view_recovery_codes", "mfa_generate_recovery_codes"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(MFA_REAUTHENTICATE)
    assert is_mfa_enabled(user)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/reporting/", "/challenges/review/", "/admin/", "/profile/"])
def test_plain_learner_is_never_asked_for_mfa(client, path):
    client.force_login(UserFactory())

    response = client.get(path)

    assert not response.get("Location", "").startswith(MFA_REQUIRED)


@pytest.mark.django_db
def test_account_pages_stay_reachable_for_a_privileged_user_without_mfa(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(MFA_REQUIRED + "?next=/admin/").status_code == 200


@pytest.mark.django_db
def test_mfa_required_page_links_to_setup_and_ignores_foreign_next(client):
    client.force_login(UserFactory(is_staff=True))

    html = client.get(MFA_REQUIRED + "?next=https://evil.example/").content.decode()

    assert reverse("mfa_activate_totp") in html
    assert "evil.example" not in html


@pytest.mark.django_db
def test_totp_enrolment_end_to_end_then_sign_in_asks_for_a_code(client):
    editor = UserFactory(roles=[Role.EDITOR.value, Role.MODERATOR.value], is_staff=True)
    _login(client, editor)
    sent_to = client.get("/admin/")["Location"]
    assert sent_to.startswith(MFA_REQUIRED)
    assert reverse("mfa_activate_totp") in client.get(sent_to).content.decode()

    # Changing how one signs in asks for the password again first.
    ask = client.get(reverse("mfa_activate_totp"))
    assert ask["Location"].startswith(reverse("account_reauthenticate"))
    reauth_page = client.get(ask["Location"]).content.decode()
    assert '<label class="govuk-label" for="id_password">Password</label>' in reauth_page
    client.post(ask["Location"], {"password": DEFAULT_PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = SECRET.search(page.content.decode()).group(1)
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert 'class="govuk-error-summary"' in wrong.content.decode()
    assert not is_mfa_enabled(editor)

    activated = client.post(reverse("mfa_activate_totp"), {"code": _fresh_code(secret)})

    assert activated.status_code == 302
    assert is_mfa_enabled(editor, [Authenticator.Type.TOTP])

    client.post(reverse("account_logout"))
    step = client.post(
        reverse("account_login"), {"login": editor.email, "password": DEFAULT_PASSWORD}
    )
    assert step["Location"] == reverse("mfa_authenticate")
    challenge = client.get(step["Location"]).content.decode()
    assert "Enter your authenticator code" in challenge
    assert not client.get(reverse("learners:profile")).wsgi_request.user.is_authenticated


# Transactional: allauth announces the new authenticator on commit, which must happen inside
# the request (as in production) for the session to remember it.
@pytest.mark.django_db(transaction=True)
def test_turning_on_an_authenticator_counts_as_this_sessions_second_factor(client):
    lead = hr_lead(organisations=[OrganisationFactory(code="D77")])
    _login(client, lead)
    sent_to = client.get("/reporting/D77/")["Location"]
    assert sent_to.startswith(MFA_REQUIRED)
    client.get(sent_to)
    client.post(
        client.get(reverse("mfa_activate_totp"))["Location"], {"password": DEFAULT_PASSWORD}
    )
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = SECRET.search(page).group(1)

    activated = client.post(reverse("mfa_activate_totp"), {"code": _fresh_code(secret)})

    codes_page = client.get(activated["Location"]).content.decode()
    assert "Recovery codes" in codes_page
    assert 'href="/reporting/D77/">Continue to the page you wanted</a>' in codes_page
    assert client.get("/reporting/D77/").status_code == 200


@pytest.mark.django_db
def test_sign_in_with_totp_needs_the_right_code(client):
    user = UserFactory(is_staff=True)
    secret = totp_enable(user)

    step = _login(client, user)
    assert step["Location"] == reverse("mfa_authenticate")
    refused = client.post(step["Location"], {"code": "123456"})
    assert 'class="govuk-error-summary"' in refused.content.decode()
    assert not client.get(reverse("learners:profile")).wsgi_request.user.is_authenticated

    done = client.post(step["Location"], {"code": _fresh_code(secret)})

    assert done.status_code == 302
    assert client.get(reverse("learners:profile")).wsgi_request.user == user


@pytest.mark.django_db
def test_totp_can_be_turned_off(client):
    user = UserFactory()
    secret = totp_enable(user)
    _login(client, user)
    client.post(reverse("mfa_authenticate"), {"code": _fresh_code(secret)})
    ask = client.get(reverse("mfa_deactivate_totp"))
    assert ask["Location"].startswith(reverse("account_reauthenticate"))
    client.post(ask["Location"], {"password": DEFAULT_PASSWORD})

    page = client.get(reverse("mfa_deactivate_totp"))
    assert "Turn off your authenticator app" in page.content.decode()
    client.post(reverse("mfa_deactivate_totp"))

    assert not is_mfa_enabled(user)
