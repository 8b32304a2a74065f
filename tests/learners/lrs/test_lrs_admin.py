"""The Wagtail admin for LRS clients and forwarding targets."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learners.lrs.models import ForwardingTarget, LRSClient, Scope
from tests.factories.learners import UserFactory
from tests.factories.lrs_forwarding import ForwardingTargetFactory, OutboxBatchFactory

pytestmark = pytest.mark.django_db


def test_forwarding_target_index_shows_lag_and_failures_not_secrets(admin_client):
    target = ForwardingTargetFactory(name="Departmental LRS", password="never-show-me-1234")
    OutboxBatchFactory(target=target, statement_ids=["a", "b", "c"], size=3, attempts=0)
    OutboxBatchFactory(
        target=target,
        statement_ids=["d"],
        size=1,
        created=timezone.now() - timedelta(hours=3),
        attempts=4,
        last_attempt=timezone.now(),
        last_error="HTTP 503: down for maintenance",
    )
    OutboxBatchFactory(target=target, statement_ids=["e"], size=1, delivered=timezone.now())
    ForwardingTargetFactory(name="Quiet LRS")

    response = admin_client.get(reverse("forwardingtarget:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Departmental LRS" in html
    assert "4 statements" in html  # the delivered row does not count
    assert "3\xa0hours" in html
    assert "4 attempts; last error: HTTP 503: down for maintenance" in html
    assert "Up to date" in html  # the quiet target
    assert "never-show-me-1234" not in html


def test_forwarding_target_create_and_edit_keep_the_secret_out_of_the_page(admin_client):
    response = admin_client.post(
        reverse("forwardingtarget:add"),
        {
            "name": "Central LRS",
            "endpoint": "https://lrs.example.gov.uk/xapi/",
            "username": "key-1",
            "password": "first-secret-value",
            "verb_filter": "http://adlnet.gov/expapi/verbs/completed",
            "activity_filter": "",
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    target = ForwardingTarget.objects.get(name="Central LRS")
    assert target.password == "first-secret-value"
    assert target.verb_iris == {"http://adlnet.gov/expapi/verbs/completed"}

    edit_url = reverse("forwardingtarget:edit", args=[target.pk])
    page = admin_client.get(edit_url)
    assert page.status_code == 200
    assert "first-secret-value" not in page.content.decode()

    # Saving with the secret left blank keeps it; a new value replaces it.
    data = {
        "name": "Central LRS",
        "endpoint": "https://lrs.example.gov.uk/xapi/",
        "username": "key-1",
        "password": "",
        "verb_filter": "",
        "activity_filter": "https://example.gov.uk/courses/",
        "enabled": "",
    }
    assert admin_client.post(edit_url, data).status_code == 302
    target.refresh_from_db()
    assert (target.password, target.enabled) == ("first-secret-value", False)
    assert target.activity_prefixes == ("https://example.gov.uk/courses/",)
    assert admin_client.post(edit_url, {**data, "password": "second-secret"}).status_code == 302
    target.refresh_from_db()
    assert target.password == "second-secret"


def test_forwarding_target_create_rejects_a_bad_endpoint(admin_client):
    response = admin_client.post(
        reverse("forwardingtarget:add"),
        {"name": "Broken", "endpoint": "not a url", "username": "", "password": ""},
    )

    assert response.status_code == 200
    assert "Enter a valid URL" in response.content.decode()
    assert not ForwardingTarget.objects.exists()


def test_lrs_client_create_shows_the_secret_once(admin_client):
    response = admin_client.post(
        reverse("lrsclient:add"),
        {"name": "Course player", "scopes": [Scope.STATEMENTS_WRITE, Scope.STATE]},
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    client = LRSClient.objects.get(name="Course player")
    assert client.scopes == [Scope.STATEMENTS_WRITE, Scope.STATE]
    html = response.content.decode()
    secret = html.split("data-lrs-secret>", 1)[1].split("<", 1)[0]
    assert len(secret) >= 24
    assert client.check_secret(secret)
    assert client.key in html

    listing = admin_client.get(reverse("lrsclient:index")).content.decode()
    assert "Course player" in listing
    assert client.key in listing
    assert secret not in listing
    assert client.secret_hash not in listing
    edit = admin_client.get(reverse("lrsclient:edit", args=[client.pk])).content.decode()
    assert secret not in edit
    assert client.secret_hash not in edit


def test_lrs_client_create_rejects_missing_scopes(admin_client):
    response = admin_client.post(reverse("lrsclient:add"), {"name": "No scopes", "active": "on"})

    assert response.status_code == 200
    assert not LRSClient.objects.filter(name="No scopes").exists()


def test_lrs_client_admin_grants_the_void_scope_and_evidence_activities(admin_client):
    quiz = "https://quiz.example.gov.uk/activities/"
    admin_client.post(
        reverse("lrsclient:add"),
        {"name": "Quiz tool", "scopes": [Scope.ALL], "evidence_activities": ""},
    )
    client = LRSClient.objects.get(name="Quiz tool")
    assert client.evidence_activities == []
    assert not client.may_void_any  # "all" does not include voiding others' statements

    response = admin_client.post(
        reverse("lrsclient:edit", args=[client.pk]),
        {
            "name": "Quiz tool",
            "scopes": [Scope.ALL, Scope.VOID],
            "evidence_activities": f"{quiz}\n\n  {quiz}unit-2  \n",
            "active": "on",
        },
    )

    assert response.status_code == 302
    client.refresh_from_db()
    assert client.may_void_any
    assert client.evidence_activities == [quiz, f"{quiz}unit-2"]
    listing = admin_client.get(reverse("lrsclient:index")).content.decode()
    assert f"{quiz}unit-2" in listing
    edit = admin_client.get(reverse("lrsclient:edit", args=[client.pk])).content.decode()
    assert quiz in edit


def test_lrs_client_admin_refuses_evidence_activities_that_are_not_iris(admin_client):
    response = admin_client.post(
        reverse("lrsclient:add"),
        {"name": "Loose", "scopes": [Scope.STATEMENTS_WRITE], "evidence_activities": "quiz 1"},
    )

    assert response.status_code == 200
    assert "absolute activity IRIs" in response.content.decode()
    assert not LRSClient.objects.filter(name="Loose").exists()


def test_lrs_admin_pages_are_closed_to_learners(client):
    client.force_login(UserFactory())

    for name in ("forwardingtarget:index", "lrsclient:index", "lrsclient:add"):
        response = client.get(reverse(name))
        assert response.status_code in (302, 403), name
        assert "Course player" not in response.content.decode()
