import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.models import RoleLevel
from learners import demo, selectors
from learners.models import Organisation, Profile, Role, User
from tests.factories.courses import RoleFactory, RoleLevelFactory
from tests.factories.learners import (
    DEFAULT_PASSWORD,
    GradeFactory,
    OrganisationFactory,
    ProfessionFactory,
    UserFactory,
    sign_in_with_second_factor,
    totp_code,
    totp_enable,
)


@pytest.mark.django_db
def test_every_role_has_its_group():
    names = set(Group.objects.values_list("name", flat=True))

    assert {role.value for role in Role} <= names


@pytest.mark.django_db
def test_user_is_privileged_only_beyond_learner():
    department = OrganisationFactory()
    learner = UserFactory()
    hr = UserFactory()
    Profile.objects.create(user=hr).hr_lead_for.add(department)

    assert not selectors.user_is_privileged(learner)
    assert selectors.user_is_privileged(hr)
    assert selectors.user_is_privileged(UserFactory(roles=[Role.ANALYST.value]))
    assert selectors.user_is_privileged(UserFactory(is_superuser=True))
    assert list(selectors.user_hr_lead_organisations(hr)) == [department]
    assert not selectors.user_hr_lead_organisations(learner).exists()


@pytest.mark.django_db
def test_user_has_role_reads_the_group():
    mentor = UserFactory(roles=[Role.MENTOR.value])

    assert selectors.user_has_role(mentor, Role.MENTOR)
    assert not selectors.user_has_role(mentor, Role.ANALYST)


@pytest.mark.django_db
def test_wagtail_admin_sends_anonymous_people_to_the_allauth_sign_in(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


@pytest.mark.django_db
def test_wagtail_admin_own_sign_in_and_reset_pages_redirect_to_allauth(client):
    login = client.get("/admin/login/?next=/admin/pages/")
    reset = client.get("/admin/password_reset/")
    foreign = client.get("/admin/login/?next=https://evil.example/")

    assert login["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"
    assert reset["Location"] == reverse("account_reset_password")
    assert "evil.example" not in foreign["Location"]
    posted = client.post("/admin/login/", {"username": "x@example.gov.uk", "password": "x"})
    assert posted.status_code == 302
    assert posted["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_editor_signs_in_through_allauth_and_reaches_the_wagtail_admin(client):
    editor = UserFactory(roles=[Role.EDITOR.value, Role.MODERATOR.value], is_staff=True)
    secret = totp_enable(editor)
    step = client.post(
        "/accounts/login/?next=/admin/",
        {"login": editor.email, "password": DEFAULT_PASSWORD, "next": "/admin/"},
    )
    assert step["Location"] == reverse("mfa_authenticate")
    done = client.post(step["Location"], {"code": totp_code(secret)})
    assert done["Location"] == "/admin/"

    admin = client.get("/admin/")
    assert admin.status_code == 200


@pytest.mark.django_db
def test_wagtail_account_page_offers_no_password_or_email_change(client):
    editor = UserFactory(roles=[Role.EDITOR.value], is_staff=True)
    sign_in_with_second_factor(client, editor)

    html = client.get("/admin/account/").content.decode()

    assert "new_password1" not in html
    assert 'name="email-email"' not in html


def _taxonomy():
    cabinet_office = OrganisationFactory(
        code="D2", name="Cabinet Office", format="Ministerial department"
    )
    OrganisationFactory(code="D9", name="Closed Office", status=Organisation.Status.CLOSED)
    for rank, code in enumerate(["EO", "HEO", "SEO", "G7", "G6"], start=3):
        GradeFactory(code=code, name=f"Grade {code}", rank=rank)
    ProfessionFactory(name="Digital", code="digital")
    for role_name, levels in {
        "Data analyst": ["Associate data analyst", "Data analyst", "Senior data analyst"],
        "Software developer": ["Lead developer", "Principal developer"],
    }.items():
        role = RoleFactory(name=role_name)
        for level in levels:
            RoleLevelFactory(role=role, name=level)
    return cabinet_office


@pytest.mark.django_db
def test_seed_people_builds_verified_personas_in_the_demo_department(client):
    cabinet_office = _taxonomy()

    people = demo.seed_people(password="demo-password-123")

    assert set(people) == {"learner", "mentor", "hr", "analyst", "editor", "moderator", "admin"}
    assert {u.email for u in people.values()} == {f"{key}@example.gov.uk" for key in people}
    for user in people.values():
        assert EmailAddress.objects.get(user=user).verified
        assert user.check_password("demo-password-123")
    learner = people["learner"]
    assert learner.profile.organisation == cabinet_office
    assert learner.profile.grade.code == "HEO"
    assert learner.profile.profession.name == "Digital"
    assert learner.profile.current_role_level == RoleLevel.objects.get(
        name="Associate data analyst"
    )
    assert learner.profile.target_role_level.name == "Data analyst"
    assert list(people["hr"].profile.hr_lead_for.all()) == [cabinet_office]
    assert selectors.user_has_role(people["mentor"], Role.MENTOR)
    assert selectors.user_has_role(people["analyst"], Role.ANALYST)
    editor = people["editor"]
    assert editor.is_staff and not editor.is_superuser
    # Editors submit for moderation; the moderator approves (see courses' moderation workflow).
    assert set(editor.groups.values_list("name", flat=True)) == {"Editors"}
    assert editor.has_perm("wagtailadmin.access_admin")
    moderator = people["moderator"]
    assert set(moderator.groups.values_list("name", flat=True)) == {"Moderators"}
    assert moderator.has_perm("wagtailadmin.access_admin")
    assert moderator.get_full_name() == "Dana Whitfield"
    assert people["admin"].is_superuser
    assert not selectors.user_is_privileged(learner)
    assert client.login(email="learner@example.gov.uk", password="demo-password-123")


@pytest.mark.django_db
def test_seed_people_is_idempotent_and_resets_the_password():
    _taxonomy()
    first = demo.seed_people(password="first-password-1")
    counts = (User.objects.count(), EmailAddress.objects.count(), Profile.objects.count())

    second = demo.seed_people(password="second-password-2")

    assert {k: u.pk for k, u in first.items()} == {k: u.pk for k, u in second.items()}
    assert (User.objects.count(), EmailAddress.objects.count(), Profile.objects.count()) == counts
    assert second["learner"].check_password("second-password-2")
    assert not User.objects.get(email="learner@example.gov.uk").check_password("first-password-1")


@pytest.mark.django_db
def test_seed_people_works_before_the_taxonomy_is_loaded():
    people = demo.seed_people(password="demo-password-123")

    assert people["learner"].profile.organisation is None
    assert not people["hr"].profile.hr_lead_for.exists()


def test_learners_demo_reexports_seed_learning():
    from learners.learning.demo import seed_learning

    assert demo.seed_learning is seed_learning


@pytest.mark.django_db
def test_wagtail_admin_sign_out_ends_the_session_and_returns_to_allauth(client):
    editor = UserFactory(roles=[Role.EDITOR.value], is_staff=True)
    sign_in_with_second_factor(client, editor)

    response = client.post("/admin/logout/")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert not client.get(reverse("learners:profile")).wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_profile_hr_lead_set_keeps_group_and_departments_together():
    from learners.services.profiles import profile_hr_lead_set

    user = UserFactory()
    first, second = OrganisationFactory(), OrganisationFactory()

    profile_hr_lead_set(user=user, organisations=[first, second])
    assert selectors.user_has_role(User.objects.get(pk=user.pk), Role.HR_LEAD)
    assert set(selectors.user_hr_lead_organisations(user)) == {first, second}

    profile_hr_lead_set(user=user, organisations=[])
    assert not selectors.user_has_role(User.objects.get(pk=user.pk), Role.HR_LEAD)
    assert not selectors.user_hr_lead_organisations(user).exists()


@pytest.mark.django_db
def test_set_hr_lead_command_assigns_departments_and_refuses_unknown_codes():
    from django.core.management import CommandError, call_command

    user = UserFactory(email="lead@example.gov.uk")
    department = OrganisationFactory(code="D6")

    call_command("set_hr_lead", "Lead@example.gov.uk", "D6")
    assert list(selectors.user_hr_lead_organisations(user)) == [department]

    with pytest.raises(CommandError, match="Unknown organisation codes: X1"):
        call_command("set_hr_lead", "lead@example.gov.uk", "D6", "X1")
    assert list(selectors.user_hr_lead_organisations(user)) == [department]
    with pytest.raises(CommandError, match="No account"):
        call_command("set_hr_lead", "nobody@example.gov.uk", "D6")
