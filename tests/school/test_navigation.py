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
