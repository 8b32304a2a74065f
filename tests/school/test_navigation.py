import pytest
from django.test import RequestFactory
from django.urls import reverse

from school.context_processors import service_navigation
from tests.factories.learners import OrganisationFactory, ProfileFactory, hr_lead

pytestmark = pytest.mark.django_db


def _texts(user):
    request = RequestFactory().get("/")
    request.user = user
    return [item["text"] for item in service_navigation(request)["service_navigation"]]


def test_service_navigation_offers_skills_coverage_to_hr_leads_only():
    department = OrganisationFactory()

    assert "Skills coverage" in _texts(hr_lead(organisations=[department]))
    assert "Skills coverage" not in _texts(ProfileFactory(organisation=department).user)


def test_service_navigation_offers_skills_coverage_to_analysts_and_superusers():
    from learners.models import Organisation, Role
    from tests.factories.learners import UserFactory

    analyst = UserFactory(roles=[Role.ANALYST.value])
    superuser = UserFactory(is_superuser=True)
    assert "Skills coverage" not in _texts(analyst)  # no live department to report on yet
    OrganisationFactory(status=Organisation.Status.LIVE)
    assert "Skills coverage" in _texts(analyst)
    assert "Skills coverage" in _texts(superuser)


def _link_shown(client) -> bool:
    response = client.get("/dashboard/")
    assert response.status_code == 200
    return 'href="/reporting/"' in response.content.decode()


def test_the_remembered_navigation_follows_role_and_hr_lead_changes(client):
    from django.contrib.auth.models import Group

    from learners.models import Role

    department = OrganisationFactory()
    profile = ProfileFactory(organisation=department)
    user = profile.user
    client.force_login(user)
    assert not _link_shown(client)
    assert not _link_shown(client)  # remembered in the session

    profile.hr_lead_for.set([department])
    assert _link_shown(client)
    profile.hr_lead_for.clear()
    assert not _link_shown(client)

    analysts, _ = Group.objects.get_or_create(name=Role.ANALYST.value)
    user.groups.add(analysts)
    assert _link_shown(client)
    department.status = department.Status.CLOSED
    department.save()
    assert not _link_shown(client)  # no live department left to report on


# --- Role-aware navigation: each person sees the places their roles give, and nothing else ----

ROLE_LINKS = {
    "Review queue": "/challenges/review/",
    "Manage challenges": "/challenges/manage/",
    "Skills coverage": "/reporting/",
    "Admin": "/admin/",
    "LRS clients": "/admin/lrsclient/",
    "xAPI forwarding targets": "/admin/forwardingtarget/",
}


def _editor():
    from django.contrib.auth.models import Permission

    from learners.models import Role
    from tests.factories.learners import UserFactory

    user = UserFactory(roles=[Role.EDITOR.value])
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    user.groups.get().permissions.add(access_admin)
    return user


def _persona(name):
    from learners.models import Role
    from tests.factories.challenges import create_challenge, mentor
    from tests.factories.learners import UserFactory

    if name == "learner":
        return ProfileFactory().user
    if name == "mentor":
        return mentor()
    if name == "manager":
        user = UserFactory()
        create_challenge(managers=[user])
        return user
    if name == "hr_lead":
        return hr_lead(organisations=[OrganisationFactory()])
    if name == "analyst":
        OrganisationFactory(status="live")
        return UserFactory(roles=[Role.ANALYST.value])
    if name == "editor":
        return _editor()
    if name == "admin":
        OrganisationFactory(status="live")
        create_challenge()
        return UserFactory(is_superuser=True, is_staff=True)
    raise AssertionError(name)


@pytest.mark.parametrize(
    ("persona", "navigation", "dashboard"),
    [
        ("learner", [], []),
        ("mentor", ["Review queue"], ["Review queue"]),
        ("manager", ["Manage challenges"], ["Manage challenges"]),
        ("hr_lead", ["Skills coverage"], ["Skills coverage"]),
        ("analyst", ["Skills coverage"], ["Skills coverage"]),
        ("editor", ["Admin"], ["Admin"]),
        (
            "admin",
            ["Manage challenges", "Skills coverage", "Admin"],
            ["Manage challenges", "Skills coverage", "Admin", "LRS clients"]
            + ["xAPI forwarding targets"],
        ),
    ],
)
def test_navigation_and_dashboard_show_the_places_each_role_gives(
    client, persona, navigation, dashboard
):
    import re

    user = _persona(persona)
    client.force_login(user)
    response = client.get(reverse("learners:dashboard"))
    html = response.content.decode()
    header, _, main = html.partition('id="main-content"')
    links = re.findall(
        r'<li class="govuk-service-navigation__item[^"]*">\s*<a [^>]*>(.*?)</a>', header
    )
    nav_texts = [re.sub(r"<[^>]+>", "", link) for link in links]
    assert nav_texts == [
        "Dashboard",
        "Courses",
        "Challenges",
        *navigation,
        "Your profile",
        "Sign out",
    ]
    for text, href in ROLE_LINKS.items():
        assert (f'href="{href}">{text}</a>' in main) == (text in dashboard), text
    # Each link leads somewhere the person may go.
    for text in dashboard:
        assert client.get(ROLE_LINKS[text]).status_code != 403, text


def test_the_remembered_navigation_follows_challenge_managers(client):
    from tests.factories.challenges import create_challenge
    from tests.factories.learners import UserFactory

    user = UserFactory()
    client.force_login(user)
    challenge = create_challenge()
    assert "Manage challenges" not in client.get("/dashboard/").content.decode()
    challenge.managers = [user]
    challenge.save()
    assert "Manage challenges" in client.get("/dashboard/").content.decode()
