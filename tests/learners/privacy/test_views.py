"""The person's own erasure request, and the administrators' pages, with their audit rows."""

import pytest
from django.urls import reverse

from learners.models import User
from learners.privacy.models import ErasureRecord, PersonalDataAccess
from tests.factories.learners import DEFAULT_PASSWORD, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_account_delete_needs_the_typed_confirmation_and_password(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("privacy:account_delete"))
    assert page.status_code == 200 and "This cannot be undone" in page.text
    for data, message in (
        ({"confirm": "yes", "password": DEFAULT_PASSWORD}, "to confirm"),
        ({"confirm": "delete my account", "password": "wrong"}, "password is not right"),
    ):
        response = client.post(reverse("privacy:account_delete"), data)
        assert response.status_code == 200
        assert message in response.text.lower()
    nul = client.post(reverse("privacy:account_delete"), {"confirm": "delete my account\x00"})
    assert nul.status_code == 400  # refused before any view (school.middleware)
    assert User.objects.get(pk=user.pk).is_active
    assert ErasureRecord.objects.count() == 0


def test_account_delete_erases_and_signs_out(client):
    user = UserFactory()
    ProfileFactory(user=user)
    client.force_login(user)
    response = client.post(
        reverse("privacy:account_delete"),
        {"confirm": " Delete  my account ", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:account_deleted")
    closed = User.objects.get(pk=user.pk)
    assert not closed.is_active
    record = ErasureRecord.objects.get()
    assert record.requested_by is None  # the record does not point back at the person
    assert client.get(reverse("privacy:your_data")).status_code == 302  # signed out


def test_admin_pages_are_for_administrators_only(client):
    person = UserFactory()
    client.force_login(UserFactory(is_staff=True))
    for url in (
        reverse("privacy_admin_index"),
        reverse("privacy_admin_log"),
        reverse("privacy_admin_person", args=[person.pk]),
        reverse("privacy_admin_erase", args=[person.pk]),
    ):
        assert client.get(url).status_code in (302, 403), url
    assert client.post(reverse("privacy_admin_download", args=[person.pk])).status_code in (
        302,
        403,
    )
    assert PersonalDataAccess.objects.count() == 0
    assert User.objects.get(pk=person.pk).is_active


def test_admin_opens_a_person_and_it_is_logged(admin_client):
    person = UserFactory(email="subject.person@example.gov.uk")
    found = admin_client.get(reverse("privacy_admin_index"), {"q": "subject.person"})
    assert "subject.person@example.gov.uk" in found.text
    page = admin_client.get(reverse("privacy_admin_person", args=[person.pk]))
    assert page.status_code == 200
    row = PersonalDataAccess.objects.get(subject=person)
    assert row.action == PersonalDataAccess.Action.VIEWED
    log = admin_client.get(reverse("privacy_admin_log"))
    assert "subject.person@example.gov.uk" in log.text


def test_admin_produces_a_download_for_someone(admin_client, django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("privacy_admin_download", args=[person.pk]))
    assert response.status_code == 302
    access_request = person.access_requests.get()
    assert access_request.status == "ready"
    download = admin_client.get(reverse("privacy:download_file", args=[access_request.key]))
    assert download.status_code == 200
    assert PersonalDataAccess.objects.filter(
        subject=person, action=PersonalDataAccess.Action.EXPORT_DOWNLOADED
    ).exists()


def test_admin_erases_with_a_reason_and_a_second_time_is_refused(admin_client):
    person = UserFactory()
    url = reverse("privacy_admin_erase", args=[person.pk])
    assert admin_client.post(url, {"reason": ""}).status_code == 200  # form error
    assert User.objects.get(pk=person.pk).is_active
    response = admin_client.post(url, {"reason": "Request ref 42"})
    assert response.status_code == 302
    assert ErasureRecord.objects.get().reason == "Request ref 42"
    # A closed account is no longer found: a second erasure cannot start.
    assert admin_client.post(url, {"reason": "again"}).status_code == 404
    assert ErasureRecord.objects.count() == 1


def test_admin_person_page_for_an_unknown_id_is_404(admin_client):
    assert admin_client.get(reverse("privacy_admin_person", args=[999999])).status_code == 404


def test_wagtail_user_edit_is_logged(admin_client):
    person = UserFactory()
    response = admin_client.get(reverse("wagtailusers_users:edit", args=[person.pk]))
    assert response.status_code == 200
    assert PersonalDataAccess.objects.filter(
        subject=person, action=PersonalDataAccess.Action.VIEWED
    ).exists()


def test_hr_lead_edit_page_is_logged(admin_client):
    person = UserFactory()
    assert admin_client.get(reverse("learners_hr_lead_edit", args=[person.pk])).status_code == 200
    assert PersonalDataAccess.objects.filter(
        subject=person, action=PersonalDataAccess.Action.VIEWED
    ).exists()
