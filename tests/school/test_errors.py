import pytest
from django.test import Client

from learners.models import User
from tests.factories.learners import UserFactory


def assert_govuk_page(response, heading: str):
    html = response.content.decode()
    assert 'class="govuk-template' in html
    assert "govuk-frontend/govuk-frontend.min.css" in html
    assert 'id="main-content"' in html
    assert "govuk-footer" in html
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html


@pytest.mark.django_db
def test_page_not_found_uses_the_govuk_template(client, settings):
    settings.DEBUG = False

    response = client.get("/there-is-no-such-page/")

    assert response.status_code == 404
    assert [t.name for t in response.templates][0] == "errors/404.html"
    assert_govuk_page(response, "Page not found")


@pytest.mark.django_db
@pytest.mark.urls("tests.school.urls")
def test_permission_denied_uses_the_govuk_template(client, settings):
    settings.DEBUG = False

    response = client.get("/test-errors/forbidden/")

    assert response.status_code == 403
    assert [t.name for t in response.templates][0] == "errors/403.html"
    assert_govuk_page(response, "You do not have access to this page")


@pytest.mark.django_db
@pytest.mark.urls("tests.school.urls")
def test_server_error_uses_the_govuk_template(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())

    response = client.get("/test-errors/broken/")

    assert response.status_code == 500
    assert_govuk_page(response, "Sorry, there is a problem with the service")
    assert "boom" not in response.content.decode()
    # Rendered without the request: nothing that needs the user, session or database.
    assert "Sign out" not in response.content.decode()
    assert "Your profile" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls("tests.school.urls")
def test_bad_request_uses_the_govuk_template(client, settings):
    settings.DEBUG = False

    response = client.get("/test-errors/bad/")

    assert response.status_code == 400
    assert_govuk_page(response, "Sorry, there is a problem with your request")
    assert "tampered" not in response.content.decode()


@pytest.mark.django_db
def test_csrf_failure_uses_the_govuk_template_and_saves_nothing(settings):
    settings.DEBUG = False
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/accounts/signup/",
        {
            "email": "someone@digital.cabinet-office.gov.uk",
            "password1": "x" * 12,
            "password2": "x" * 12,
        },
    )

    assert response.status_code == 403
    assert_govuk_page(response, "Sorry, you need to start again")
    assert not User.objects.exists()
