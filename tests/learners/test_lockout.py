"""Failed sign-ins are counted per account and per client address, behind the HTTPS proxy.

Every request reaches Django from the proxy's address; the client's own address is the last
X-Forwarded-For entry, which the one trusted proxy appends.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from school.settings import base
from tests.factories.learners import DEFAULT_PASSWORD, UserFactory

PROXY = "10.0.0.1"
ATTACKER = "203.0.113.9"
COLLEAGUE = "198.51.100.7"
TOO_MANY = "Too many failed login attempts"


@pytest.fixture
def production_limits(settings):
    """The rate limits and proxy setting production runs with, on a fresh cache."""
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    cache.clear()
    yield
    cache.clear()


def _sign_in(client, email, password, *, client_ip):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{client_ip}",
    )


def _signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


@pytest.mark.django_db
def test_brute_force_on_one_account_is_stopped_but_a_colleague_behind_the_proxy_signs_in(
    client, production_limits
):
    from django.test import Client

    target = UserFactory()
    colleague = UserFactory()

    guesses = [
        _sign_in(client, target.email, f"guess-{n}", client_ip=ATTACKER).status_code
        for n in range(5)
    ]
    stopped = _sign_in(client, target.email, DEFAULT_PASSWORD, client_ip=ATTACKER)
    other = Client()
    colleague_in = _sign_in(other, colleague.email, DEFAULT_PASSWORD, client_ip=COLLEAGUE)

    assert guesses == [200] * 5
    assert not _signed_in(stopped)
    assert TOO_MANY in stopped.content.decode()
    assert _signed_in(colleague_in)


@pytest.mark.django_db
def test_one_attacker_spraying_many_accounts_cannot_lock_out_another_user(
    client, production_limits
):
    from django.test import Client

    victims = [UserFactory() for _ in range(8)]
    colleague = UserFactory()

    # 32 failures spread over 8 accounts from one client: more than the per-address limit (30),
    # fewer than any one account's (5 each).
    for round_ in range(4):
        for victim in victims:
            _sign_in(client, victim.email, f"wrong-{round_}", client_ip=ATTACKER)
    attacker_now = _sign_in(client, colleague.email, DEFAULT_PASSWORD, client_ip=ATTACKER)

    # The sprayer's own address is stopped (by the failure limit, or allauth's limit on sign-in
    # attempts per address, whichever comes first).
    assert not _signed_in(attacker_now)
    assert attacker_now.status_code == 429 or TOO_MANY in attacker_now.content.decode()
    for person in [colleague, *victims]:
        other = Client()
        assert _signed_in(_sign_in(other, person.email, DEFAULT_PASSWORD, client_ip=COLLEAGUE))


@pytest.mark.django_db
def test_without_the_proxy_setting_everyone_shares_the_proxy_address(client, settings):
    """Why the proxy setting matters: with none, one person's failures stop everybody."""
    from django.test import Client

    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/5m/ip"}
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    cache.clear()
    victim = UserFactory()
    for n in range(3):
        _sign_in(client, UserFactory().email, f"wrong-{n}", client_ip=ATTACKER)

    blocked = _sign_in(Client(), victim.email, DEFAULT_PASSWORD, client_ip=COLLEAGUE)

    assert TOO_MANY in blocked.content.decode()
    cache.clear()
