import pytest
from django.urls import reverse

from learners.learning import services
from tests.factories.courses import course_with_lessons
from tests.factories.learners import UserFactory
from tests.factories.learning import read_all_lessons

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    course = course_with_lessons(lessons=1, title="Cloud fundamentals")
    user = UserFactory(first_name="Ada", last_name="Lovelace", email="ada@example.gov.uk")
    services.enrolment_create(user=user, course=course)
    read_all_lessons(user=user, course=course)
    services.assessment_submit(
        user=user, assessment=course.assessment(), answers={"q1": ["a"], "q2": ["a"]}
    )
    return user.certificates.get()


def test_certificate_page_and_pdf_for_the_holder(client, certificate):
    client.force_login(certificate.user)
    page = client.get(reverse("learners:certificate", args=[certificate.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ada Lovelace" in html and "Cloud fundamentals" in html
    assert certificate.verification_code in html
    pdf = client.get(reverse("learners:certificate_pdf", args=[certificate.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_certificate_is_not_visible_to_someone_else(client, certificate):
    client.force_login(UserFactory())
    assert client.get(reverse("learners:certificate", args=[certificate.pk])).status_code == 404
    assert client.get(reverse("learners:certificate_pdf", args=[certificate.pk])).status_code == 404


def test_public_verification_shows_name_course_date_validity_only(client, certificate):
    response = client.get(
        reverse("learners:certificate_verify", args=[certificate.verification_code])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ada Lovelace" in html
    assert "Cloud fundamentals" in html
    assert "Valid" in html
    assert "ada@example.gov.uk" not in html
    assert str(certificate.user.learner_id) not in html
    assert response["X-Robots-Tag"] == "noindex"


def test_verification_code_is_long_and_unguessable(client, certificate):
    assert len(certificate.verification_code) >= 32
    guess = certificate.verification_code[:-1] + (
        "A" if certificate.verification_code[-1] != "A" else "B"
    )
    assert client.get(reverse("learners:certificate_verify", args=[guess])).status_code == 404
    assert client.get(f"/certificates/verify/{certificate.pk}/").status_code == 404


def test_revoked_certificate_says_so(client, certificate):
    from django.utils import timezone

    certificate.revoked_at = timezone.now()
    certificate.save()
    html = client.get(
        reverse("learners:certificate_verify", args=[certificate.verification_code])
    ).content.decode()
    assert "Revoked" in html
