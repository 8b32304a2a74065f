"""Every route that signs a person in, and every privileged area: a password alone gets nothing.

Only allauth signs people in (rate limits, verification, second factor); the leftover sign-in
views of Django and Wagtail sign nobody in; a privileged area needs the second factor in THIS
session, whatever route the session came from.
"""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import PageViewRestriction

from challenges import services as challenge_services
from courses.demo import seed_home_page
from learners.models import Role
from tests.factories.challenges import SubmissionFactory, create_challenge, mentor, with_mfa
from tests.factories.learners import (
    DEFAULT_PASSWORD,
    OrganisationFactory,
    ProfileFactory,
    UserFactory,
    hr_lead,
    sign_in_with_second_factor,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
SIGN_IN_ROUTES = ["/accounts/login/", "/_util/login/", "/admin/login/"]
LEFTOVER_ROUTES = ["/_util/login/", "/admin/login/"]
# Where each answer may send a session that has not passed the second factor.
NOT_IN = ("/accounts/login/", "/accounts/2fa/", "/accounts/mfa-required/")


def _admin_access_user():
    """Someone whose only privilege is a custom group that opens the Wagtail admin."""
    group, _ = Group.objects.get_or_create(name="Admin viewers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = UserFactory()
    user.groups.add(group)
    return user


ROLES = {
    "mentor": lambda world: mentor(),
    "challenge manager (no role)": lambda world: world["manager"],
    "HR lead": lambda world: hr_lead(organisations=[world["department"]]),
    "analyst": lambda world: UserFactory(roles=[Role.ANALYST.value]),
    "editor": lambda world: UserFactory(roles=[Role.EDITOR.value], is_staff=True),
    "moderator": lambda world: UserFactory(roles=[Role.MODERATOR.value]),
    "staff": lambda world: UserFactory(is_staff=True),
    "admin": lambda world: UserFactory(is_superuser=True, is_staff=True),
    "admin access group": lambda world: _admin_access_user(),
}


@pytest.fixture
def world():
    """A department, and a challenge managed by someone with no role, with a file entered."""
    department = OrganisationFactory(code="D42")
    manager = UserFactory()
    challenge = create_challenge(managers=[manager])
    entrant = UserFactory()
    ProfileFactory(user=entrant, organisation=department)
    submission = SubmissionFactory(challenge=challenge, created_by=entrant)
    record = challenge_services.file_upload(
        submission_id=submission.pk,
        user=entrant,
        upload=SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
    )
    return {
        "department": department,
        "manager": manager,
        "areas": [
            "/admin/",
            "/admin/hr-leads/",
            "/admin/course-analytics/",
            "/reporting/",
            f"/reporting/{department.code}/",
            f"/reporting/{department.code}/coverage.csv",
            "/challenges/review/",
            "/challenges/manage/",
            f"/challenges/manage/{challenge.pk}/",
            f"/challenges/manage/submissions/{submission.pk}/",
            f"/challenges/manage/submissions/{submission.pk}/files/{record.pk}/",
        ],
    }


def _gets_nothing(client, areas):
    for area in areas:
        response = client.get(area)
        assert response.status_code in (302, 403, 404), (area, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(NOT_IN), (area, response["Location"])
        assert b"plan.pdf" not in response.content
        assert "Content-Disposition" not in response


@pytest.mark.parametrize("route", SIGN_IN_ROUTES)
@pytest.mark.parametrize("role", list(ROLES))
def test_a_password_alone_reaches_no_privileged_area(client, world, route, role):
    user = ROLES[role](world)
    with_mfa(user)

    client.post(route, {"login": user.email, "username": user.email, "password": DEFAULT_PASSWORD})

    _gets_nothing(client, world["areas"])


@pytest.mark.parametrize("role", list(ROLES))
def test_a_password_alone_without_an_authenticator_is_sent_to_set_one_up(client, world, role):
    user = ROLES[role](world)
    Authenticator.objects.filter(user=user).delete()

    signed_in = client.post("/accounts/login/", {"login": user.email, "password": DEFAULT_PASSWORD})

    assert signed_in.status_code == 302
    for area in world["areas"]:
        response = client.get(area)
        assert response.status_code == 302, area
        assert response["Location"].startswith("/accounts/mfa-required/"), area


@pytest.mark.parametrize("role", list(ROLES))
def test_a_session_that_skipped_the_second_factor_reaches_no_privileged_area(client, world, role):
    """Whatever route made the session (force_login stands for any of them), it is not enough."""
    user = ROLES[role](world)
    with_mfa(user)
    client.force_login(user)

    for area in world["areas"]:
        response = client.get(area)
        assert response.status_code == 302, area
        assert response["Location"].startswith("/accounts/2fa/reauthenticate/?next="), area


def test_a_challenge_manager_with_no_role_gets_in_with_the_second_factor(client, world):
    sign_in_with_second_factor(client, world["manager"])

    page = client.get(world["areas"][-3])
    download = client.get(world["areas"][-1])

    assert page.status_code == 200
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize("route", LEFTOVER_ROUTES)
def test_a_leftover_sign_in_view_signs_nobody_in(client, route):
    user = UserFactory()

    page = client.get(f"{route}?next=/dashboard/")
    posted = client.post(route, {"username": user.email, "password": DEFAULT_PASSWORD})

    assert page.status_code == 302
    assert page["Location"] == "/accounts/login/?next=%2Fdashboard%2F"
    assert posted.status_code == 302
    assert posted["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert not client.get("/dashboard/").wsgi_request.user.is_authenticated


def test_a_leftover_sign_in_view_drops_a_foreign_next(client):
    response = client.get("/_util/login/?next=https://evil.example/")

    assert response["Location"] == "/accounts/login/"


@pytest.mark.parametrize(
    "path", ["/admin/password_reset/", "/admin/password_reset/confirm/MQ/abc-123/"]
)
def test_the_admin_password_reset_goes_to_allauth(client, path):
    user = UserFactory()

    response = client.post(path, {"email": user.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password")


def test_a_page_password_still_opens_a_restricted_page(client):
    home = seed_home_page()
    restriction = PageViewRestriction.objects.create(
        page=home, restriction_type=PageViewRestriction.PASSWORD, password="open-sesame"
    )
    url = f"/_util/authenticate_with_password/{restriction.pk}/{home.pk}/"

    form = client.get(home.url)
    wrong = client.post(url, {"password": "nope", "return_url": home.url})
    right = client.post(url, {"password": "open-sesame", "return_url": home.url})

    assert url in form.content.decode()
    assert wrong.status_code == 200
    assert right.status_code == 302
    assert right["Location"] == home.url
    page = client.get(home.url)
    assert page.status_code == 200
    assert url not in page.content.decode()
    assert "_auth_user_id" not in client.session
