"""No 500 from any URL or parameter: a NUL or a lone surrogate, sent to every route.

The URLconf is walked (every pattern, its parameters filled with plausible values), and each
route gets a NUL byte and a lone surrogate (`%ED%A0%80`, invalid UTF-8) in its path and in its
query string, as an anonymous visitor, a signed-in learner and an administrator.
"""

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern, RoutePattern

from courses.demo import seed_home_page
from tests.factories.learners import UserFactory, sign_in_with_second_factor

NUL = "%00"
SURROGATE = "%ED%A0%80"
CONVERTER_VALUES = {"int": "1", "uuid": str(uuid.UUID(int=1)), "slug": "x", "str": "x", "path": "x"}


def _fill_route(route: str) -> str:
    return re.sub(
        r"<(?:(\w+):)?\w+>", lambda m: CONVERTER_VALUES.get(m.group(1) or "str", "x"), route
    )


def _fill_regex(regex: str) -> str:
    text = regex.lstrip("^").rstrip("$").replace("\\Z", "")
    text = re.sub(r"\(\?P<\w+>\\d\+\)|\(\\d\+\)|\[0-9\]\+", "1", text)
    text = re.sub(r"\((?:\?P<\w+>)?[^()]*\)[*?]?", "x", text)
    return text.replace("\\", "")


def _paths(patterns, prefix=""):
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, RoutePattern):
            part = _fill_route(str(pattern))
        elif isinstance(pattern, RegexPattern):
            part = _fill_regex(pattern.regex.pattern)
        else:  # LocalePrefixPattern and the like
            part = str(pattern)
        if isinstance(entry, URLResolver):
            yield from _paths(entry.url_patterns, prefix + part)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + part


def every_route() -> list[str]:
    """One concrete path per URL pattern that resolves back to a view."""
    routes = []
    for path in dict.fromkeys(_paths(get_resolver().url_patterns)):
        try:
            resolve(path)
        except Resolver404:
            continue
        routes.append(path)
    return routes


def _with_nul_in_path(path: str) -> str:
    head, _, tail = path.rstrip("/").rpartition("/")
    return f"{head}/{tail}{NUL}/" if path.endswith("/") else f"{head}/{tail}{NUL}"


def _with_surrogate_in_path(path: str) -> str:
    return _with_nul_in_path(path).replace(NUL, SURROGATE)


def test_the_walk_covers_the_urlconf():
    routes = every_route()

    assert len(routes) > 300  # Wagtail's admin, allauth and every app of ours
    for expected in ("/certificates/verify/x/", "/reporting/x/", "/xapi/statements", "/admin/"):
        assert expected in routes


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "learner", "admin"])
def test_no_route_answers_a_nul_or_a_lone_surrogate_with_a_server_error(who):
    seed_home_page()
    client = Client(raise_request_exception=False)
    if who == "learner":
        client.force_login(UserFactory())
    elif who == "admin":
        sign_in_with_second_factor(client, UserFactory(is_superuser=True, is_staff=True))
    failures = []

    for path in every_route():
        for url in (
            f"{path}?q={NUL}&next={NUL}",
            f"{path}?{NUL}=1",
            _with_nul_in_path(path),
        ):
            response = client.get(url)
            if response.status_code != 400:
                failures.append((url, response.status_code))
        for url in (f"{path}?q={SURROGATE}&next={SURROGATE}", _with_surrogate_in_path(path)):
            response = client.get(url)
            if response.status_code >= 500:
                failures.append((url, response.status_code))

    assert failures == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        f"/certificates/verify/{NUL}/",
        f"/certificates/verify/abc{NUL}def/",
        f"/reporting/D2{NUL}/",
        f"/reporting/D2{NUL}/coverage.csv",
        f"/reporting/?department={NUL}",
        f"/courses/?q={NUL}",
    ],
)
def test_a_nul_gets_a_clear_400(client, url):
    response = client.get(url)

    assert response.status_code == 400
    assert "Sorry, there is a problem with your request" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_a_form_field_gets_a_400_and_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post("/dashboard/skills/", {"skill": "x\x00", "level": "1"})

    assert response.status_code == 400
