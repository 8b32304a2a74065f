import pytest
from django.urls import reverse

from learners.models import Organisation
from tests.factories.learners import (
    GradeFactory,
    OrganisationFactory,
    ProfessionFactory,
    UserFactory,
    sign_in_with_second_factor,
)

pytestmark = pytest.mark.django_db


def url(model: str, action: str, *args) -> str:
    return reverse(f"wagtailsnippets_learners_{model}:{action}", args=args)


def test_organisation_snippet_listing_renders_searches_and_filters(admin_client):
    OrganisationFactory(name="Cabinet Office", abbreviation="CO", code="D2")
    OrganisationFactory(
        name="Old Department", code="D99", status=Organisation.Status.CLOSED, format="Other"
    )

    response = admin_client.get(url("organisation", "list"))
    searched = admin_client.get(url("organisation", "list"), {"q": "cabinet"})
    closed = admin_client.get(url("organisation", "list"), {"status": "closed"})

    assert response.status_code == 200
    assert "Cabinet Office" in response.text
    assert "Old Department" in response.text
    assert "Cabinet Office" in searched.text
    assert "Old Department" not in searched.text
    assert "Old Department" in closed.text
    assert "Cabinet Office" not in closed.text


def test_organisation_snippet_edit_saves_fields_and_links(admin_client):
    parent = OrganisationFactory(name="Cabinet Office", code="D2")
    successor = OrganisationFactory(name="Government Digital Service", code="OT1056")
    organisation = OrganisationFactory(name="Old Unit", code="OT1", slug="old-unit")

    response = admin_client.post(
        url("organisation", "edit", organisation.pk),
        {
            "name": "Old Unit",
            "abbreviation": "OU",
            "code": "OT1",
            "slug": "old-unit",
            "format": "Sub organisation",
            "status": Organisation.Status.CLOSED,
            "web_url": "https://www.gov.uk/government/organisations/old-unit",
            "closed_status": "merged",
            "closed_at": "",
            "parents": [parent.pk],
            "superseded_by": [successor.pk],
        },
    )

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.abbreviation == "OU"
    assert organisation.status == Organisation.Status.CLOSED
    assert list(organisation.parents.all()) == [parent]
    assert list(organisation.superseded_by.all()) == [successor]


def test_grade_and_profession_snippet_listings_render(admin_client):
    GradeFactory(code="G7", name="Grade 7", rank=6)
    commercial = ProfessionFactory(name="Commercial")
    ProfessionFactory(name="Procurement", parent=commercial)

    grades = admin_client.get(url("grade", "list"))
    professions = admin_client.get(url("profession", "list"))

    assert grades.status_code == 200
    assert "Grade 7" in grades.text
    assert professions.status_code == 200
    assert "Procurement" in professions.text


def test_reference_snippets_are_editable_by_the_editors_group(client):
    editor = UserFactory(roles=["Editors"])
    sign_in_with_second_factor(client, editor)
    grade = GradeFactory(code="G7", name="Grade 7", rank=6)

    response = client.post(
        url("grade", "edit", grade.pk),
        {
            "code": "G7",
            "name": "Grade 7",
            "rank": 6,
            "csrs_code": "G7",
            "responsibility_level": "Grades 6 and 7",
        },
    )

    assert response.status_code == 302
    grade.refresh_from_db()
    assert grade.responsibility_level == "Grades 6 and 7"


def test_pages_show_the_open_government_licence_attribution(client):
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert (
        "Contains public sector information licensed under the Open Government Licence v3.0."
        in response.text
    )
