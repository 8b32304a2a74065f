"""Pages and downloads with personal or departmental data are never stored by a browser or proxy
cache: every response to a signed-in person, and to an LRS client, says `no-store`.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from challenges import services as challenge_services
from courses.demo import seed_home_page
from learners.models import Role
from tests.factories.challenges import SubmissionFactory, assign, create_challenge, mentor
from tests.factories.learners import (
    OrganisationFactory,
    ProfileFactory,
    UserFactory,
    hr_lead,
    sign_in_with_second_factor,
)
from tests.factories.learning import CertificateFactory
from tests.factories.lrs import LRSClientFactory, xapi_headers

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _not_stored(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return "no-store" in directives and "public" not in directives


def _check(client, urls):
    seen = {}
    for url in urls:
        response = client.get(url)
        seen[url] = (response.status_code, response.get("Cache-Control", ""))
        assert response.status_code == 200, (url, response.status_code)
        assert _not_stored(response), (url, seen[url])


def test_a_learners_own_pages_and_downloads_are_not_stored(client):
    seed_home_page()
    user = UserFactory()
    ProfileFactory(user=user)
    certificate = CertificateFactory(user=user)
    client.force_login(user)

    _check(
        client,
        [
            "/",
            "/dashboard/",
            "/dashboard/record/",
            "/dashboard/record/download/",
            "/dashboard/skills/",
            "/profile/",
            f"/certificates/{certificate.pk}/",
            f"/certificates/{certificate.pk}/pdf/",
            "/challenges/submissions/",
            "/accounts/email/",
        ],
    )


def test_an_entrants_mentors_and_managers_challenge_pages_are_not_stored():
    from tests.challenges.conftest import client_for

    manager = UserFactory()
    challenge = create_challenge(managers=[manager])
    entrant = UserFactory()
    ProfileFactory(user=entrant)
    submission = SubmissionFactory(challenge=challenge, created_by=entrant)
    record = challenge_services.file_upload(
        submission_id=submission.pk,
        user=entrant,
        upload=SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
    )
    challenge_services.submission_submit(
        submission_id=submission.pk, user=entrant, expected_round=1
    )
    reviewer = mentor()
    assignment = assign(submission, reviewer)

    _check(
        client_for(entrant),
        [
            f"/challenges/submissions/{submission.pk}/",
            f"/challenges/submissions/{submission.pk}/files/{record.pk}/",
        ],
    )
    _check(
        client_for(reviewer),
        ["/challenges/review/", f"/challenges/review/{assignment.pk}/"],
    )
    _check(
        client_for(manager),
        [
            "/challenges/manage/",
            f"/challenges/manage/{challenge.pk}/",
            f"/challenges/manage/submissions/{submission.pk}/",
            f"/challenges/manage/submissions/{submission.pk}/files/{record.pk}/",
        ],
    )


def test_reporting_pages_and_exports_are_not_stored(client):
    department = OrganisationFactory(code="D31")
    sign_in_with_second_factor(client, hr_lead(organisations=[department]))

    _check(
        client,
        [
            "/reporting/D31/",
            "/reporting/D31/coverage.csv",
            "/reporting/D31/coverage.xlsx",
            "/reporting/D31/targets/",
        ],
    )


def test_the_admin_is_not_stored(client):
    seed_home_page()
    editor = UserFactory(roles=[Role.EDITOR.value], is_staff=True, is_superuser=True)
    sign_in_with_second_factor(client, editor)

    _check(client, ["/admin/", "/admin/hr-leads/", "/admin/pages/"])


def test_what_an_lrs_client_reads_is_not_stored(client):
    lrs_client = LRSClientFactory()

    response = client.get("/xapi/statements", **xapi_headers(lrs_client))

    assert response.status_code == 200
    assert json.loads(response.content)["statements"] == []
    assert _not_stored(response)


def test_an_anonymous_public_page_is_not_marked_no_store(client):
    seed_home_page()

    response = client.get("/")

    assert response.status_code == 200
    assert not _not_stored(response)
