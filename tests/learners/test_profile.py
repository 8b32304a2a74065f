import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from learners import selectors
from learners.models import Organisation, Profile
from learners.services.profiles import profile_update
from tests.factories.courses import RoleLevelFactory
from tests.factories.learners import (
    GradeFactory,
    OrganisationFactory,
    ProfessionFactory,
    ProfileFactory,
    UserFactory,
)

PROFILE = "/profile/"


@pytest.fixture
def reference():
    return {
        "organisation": OrganisationFactory(name="Department for Education", code="D6"),
        "grade": GradeFactory(code="HEO", name="Higher Executive Officer", rank=4),
        "profession": ProfessionFactory(name="Digital", code="digital"),
        "current_role_level": RoleLevelFactory(name="Junior developer"),
        "target_role_level": RoleLevelFactory(name="Developer"),
    }


def _post_data(reference, **overrides):
    data = {name: row.pk for name, row in reference.items()}
    data.update(first_name="Nadia", last_name="Rahman")
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_profile_page_needs_sign_in(client):
    response = client.get(PROFILE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_profile_page_lists_live_departments_and_agencies_sorted(client):
    OrganisationFactory(name="Zeta Agency", format="Executive agency")
    OrganisationFactory(name="Alpha Department", format="Ministerial department")
    OrganisationFactory(name="Beta Closed", status=Organisation.Status.CLOSED)
    OrganisationFactory(name="Gamma Advisory Board", format="Advisory non-departmental public body")
    client.force_login(UserFactory())

    html = client.get(PROFILE).content.decode()

    assert html.index("Alpha Department") < html.index("Zeta Agency")
    assert "Beta Closed" not in html
    assert "Gamma Advisory Board" not in html
    assert '<label class="govuk-label" for="id_organisation">Department or agency</label>' in html
    assert 'class="govuk-select"' in html


@pytest.mark.django_db
def test_profile_update_through_the_page_saves_every_field(client, reference):
    user = UserFactory()
    client.force_login(user)

    response = client.post(PROFILE, _post_data(reference))

    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    for name, row in reference.items():
        assert getattr(profile, name) == row
    assert profile.is_complete
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.display_name) == (
        "Nadia",
        "Rahman",
        "Nadia Rahman",
    )
    page = client.get(PROFILE).content.decode()
    assert "Your profile has been saved." in page
    assert 'id="id_first_name" name="first_name" type="text" value="Nadia"' in page
    assert f'<option value="{reference["grade"].pk}" selected>' in page


@pytest.mark.django_db
def test_profile_with_missing_fields_shows_the_error_summary_and_saves_nothing(client, reference):
    user = UserFactory()
    before = ProfileFactory(user=user)
    client.force_login(user)

    response = client.post(PROFILE, _post_data(reference, grade="", profession="999999"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_grade">Select your grade</a>' in html
    assert '<a href="#id_profession">Select a profession from the list</a>' in html
    assert 'aria-describedby="id_grade-error"' in html
    assert "<title>Error: Your profile" in html
    after = Profile.objects.get(user=user)
    assert (after.organisation_id, after.grade_id, after.profession_id) == (
        before.organisation_id,
        before.grade_id,
        before.profession_id,
    )


@pytest.mark.django_db
def test_profile_without_names_asks_for_them_and_keeps_the_old_ones(client, reference):
    user = UserFactory(first_name="Old", last_name="Name")
    client.force_login(user)

    response = client.post(PROFILE, _post_data(reference, first_name="  ", last_name=""))

    html = response.content.decode()
    assert '<a href="#id_first_name">Enter your given name</a>' in html
    assert '<a href="#id_last_name">Enter your family name</a>' in html
    user.refresh_from_db()
    assert user.display_name == "Old Name"


@pytest.mark.django_db
def test_display_name_falls_back_to_the_email_only_without_a_name():
    named = UserFactory(first_name="Kofi", last_name="Mensah")
    unnamed = UserFactory(first_name="", last_name="", email="unnamed@ons.gov.uk")

    assert (named.display_name, str(named)) == ("Kofi Mensah", "Kofi Mensah")
    assert (unnamed.display_name, str(unnamed)) == ("unnamed@ons.gov.uk", "unnamed@ons.gov.uk")


@pytest.mark.django_db
def test_profile_refuses_a_closed_department(client, reference):
    closed = OrganisationFactory(status=Organisation.Status.CLOSED)
    user = UserFactory()
    client.force_login(user)

    response = client.post(PROFILE, _post_data(reference, organisation=closed.pk))

    assert 'class="govuk-error-summary"' in response.content.decode()
    assert not Profile.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_profile_update_service_creates_then_updates(reference):
    user = UserFactory()

    created = profile_update(user=user, **reference)
    updated = profile_update(
        user=user,
        organisation=reference["organisation"],
        grade=reference["grade"],
        profession=reference["profession"],
    )

    assert created.pk == updated.pk
    assert updated.current_role_level is None and updated.target_role_level is None
    assert Profile.objects.filter(user=user).count() == 1


@pytest.mark.django_db
def test_profile_update_service_refuses_closed_organisations_and_writes_nothing(reference):
    user = UserFactory()
    closed = OrganisationFactory(status=Organisation.Status.CLOSED)

    with pytest.raises(ValidationError) as error:
        profile_update(user=user, organisation=closed, grade=reference["grade"], profession=None)

    assert "organisation" in error.value.message_dict
    assert not Profile.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_profile_is_complete_needs_department_grade_and_profession(reference):
    user = UserFactory()
    assert not selectors.profile_is_complete(user)

    profile_update(user=user, organisation=reference["organisation"], grade=None, profession=None)
    assert not selectors.profile_is_complete(user)

    profile_update(
        user=user,
        organisation=reference["organisation"],
        grade=reference["grade"],
        profession=reference["profession"],
    )
    assert selectors.profile_is_complete(user)


@pytest.mark.django_db
def test_profile_prompt_include_shows_only_while_incomplete(rf):
    from django.template.loader import render_to_string

    incomplete = render_to_string(
        "learners/includes/profile_prompt.html", {"profile_complete": False}
    )
    complete = render_to_string("learners/includes/profile_prompt.html", {"profile_complete": True})

    assert "Complete your profile" in incomplete
    assert "Complete your profile" not in complete
