import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from learners.models import Organisation, Role
from learners.selectors import user_has_role
from tests.factories.learners import (
    OrganisationFactory,
    ProfileFactory,
    UserFactory,
    hr_lead,
    sign_in_with_second_factor,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def departments():
    return (
        OrganisationFactory(code="D2", name="Cabinet Office"),
        OrganisationFactory(code="D7", name="Department for Education"),
    )


def edit_url(user) -> str:
    return reverse("learners_hr_lead_edit", args=[user.pk])


def test_hr_lead_index_lists_leads_and_finds_people_by_email(admin_client, departments):
    lead = hr_lead(organisations=[departments[0]], email="lead@example.gov.uk")
    UserFactory(email="jordan.okafor@example.gov.uk")

    listing = admin_client.get(reverse("learners_hr_leads"))
    search = admin_client.get(reverse("learners_hr_leads"), {"q": "okafor"})

    assert listing.status_code == 200
    assert "lead@example.gov.uk" in listing.text
    assert "Cabinet Office" in listing.text
    assert edit_url(lead) in listing.text
    assert search.status_code == 200
    assert "jordan.okafor@example.gov.uk" in search.text


def test_hr_lead_index_shows_each_lead_by_name_beside_their_email(admin_client, departments):
    lead = hr_lead(organisations=[departments[1]], email="ngozi@example.gov.uk")
    lead.first_name, lead.last_name = "Ngozi", "Adeyemi"
    lead.save()

    listing = admin_client.get(reverse("learners_hr_leads"))
    edit = admin_client.get(edit_url(lead))

    assert "<td>Ngozi Adeyemi</td>" in listing.text
    assert "<td>ngozi@example.gov.uk</td>" in listing.text
    assert "HR lead departments for Ngozi Adeyemi" in listing.text
    assert "Ngozi Adeyemi" in edit.text


def test_hr_lead_edit_sets_departments_and_the_role_through_the_service(admin_client, departments):
    person = ProfileFactory(organisation=departments[0]).user

    form = admin_client.get(edit_url(person))
    response = admin_client.post(edit_url(person), {"organisations": [d.pk for d in departments]})

    assert form.status_code == 200
    assert "Department for Education" in form.text
    assert response.status_code == 302
    assert set(person.profile.hr_lead_for.all()) == set(departments)
    assert user_has_role(person, Role.HR_LEAD)


def test_hr_lead_edit_with_no_departments_removes_the_role(admin_client, departments):
    person = hr_lead(organisations=list(departments))

    response = admin_client.post(edit_url(person), {})

    assert response.status_code == 302
    assert not person.profile.hr_lead_for.exists()
    assert not user_has_role(person, Role.HR_LEAD)


def test_hr_lead_edit_creates_the_profile_of_a_person_without_one(admin_client, departments):
    person = UserFactory()

    admin_client.post(edit_url(person), {"organisations": [departments[1].pk]})

    assert list(person.profile.hr_lead_for.all()) == [departments[1]]


def test_hr_lead_edit_refuses_a_closed_department_and_changes_nothing(admin_client, departments):
    closed = OrganisationFactory(code="D99", status=Organisation.Status.CLOSED)
    person = hr_lead(organisations=[departments[0]])

    response = admin_client.post(edit_url(person), {"organisations": [closed.pk]})

    assert response.status_code == 200
    assert "error" in response.text.lower()
    assert list(person.profile.hr_lead_for.all()) == [departments[0]]


def test_hr_lead_edit_keeps_a_closed_department_the_person_already_leads(admin_client, departments):
    closed = OrganisationFactory(code="D99", status=Organisation.Status.CLOSED)
    person = hr_lead(organisations=[closed])

    response = admin_client.post(edit_url(person), {"organisations": [closed.pk]})

    assert response.status_code == 302
    assert list(person.profile.hr_lead_for.all()) == [closed]


def test_hr_lead_views_are_for_administrators_only(client, departments):
    editor = UserFactory(roles=[Role.EDITOR.value], is_staff=True)
    Group.objects.get(name=Role.EDITOR.value).permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    sign_in_with_second_factor(client, editor)
    person = ProfileFactory().user

    index = client.get(reverse("learners_hr_leads"))
    form = client.get(edit_url(person))
    post = client.post(edit_url(person), {"organisations": [departments[0].pk]})
    admin_home = client.get(reverse("wagtailadmin_home"))

    # Wagtail's admin turns the refusal into a redirect home with a "no permission" message.
    for response in (index, form, post):
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
    assert not person.profile.hr_lead_for.exists()
    assert admin_home.status_code == 200
    assert reverse("learners_hr_leads") not in admin_home.text


def test_hr_lead_views_send_anonymous_people_to_sign_in(client, departments):
    person = ProfileFactory().user

    response = client.post(edit_url(person), {"organisations": [departments[0].pk]})

    assert response.status_code == 302
    assert not person.profile.hr_lead_for.exists()


def test_hr_lead_edit_of_an_unknown_person_is_not_found(admin_client):
    assert admin_client.get(reverse("learners_hr_lead_edit", args=[999999])).status_code == 404


def test_hr_leads_menu_item_shows_to_administrators(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))

    assert reverse("learners_hr_leads") in response.text
