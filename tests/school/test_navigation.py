import pytest
from django.test import RequestFactory

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
