"""Enrolling is idempotent, even when requests race: one enrolment, one launch, no 500."""

import threading

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test import Client
from django.urls import reverse

from learners.learning import services, xapi
from learners.learning.models import Enrolment
from learners.lrs.models import Statement
from tests.factories.challenges import _ensure_root
from tests.factories.courses import course_with_lessons
from tests.factories.learners import UserFactory


def _launches(user) -> int:
    return Statement.objects.filter(
        verb_id=xapi.LAUNCHED, registration__in=user.enrolments.values("registration")
    ).count()


@pytest.mark.django_db
def test_enrolment_create_losing_the_race_returns_the_winners_enrolment():
    """The other request inserts after this one checked and before it inserts (a race)."""
    course = course_with_lessons(lessons=1, assessment=False)
    user = UserFactory()
    winner = []

    def other_request_wins(sender, **kwargs):
        post_init.disconnect(other_request_wins, sender=Enrolment)
        winner.extend(Enrolment.objects.bulk_create([Enrolment(user=user, course=course)]))

    post_init.connect(other_request_wins, sender=Enrolment, weak=False)
    try:
        enrolment = services.enrolment_create(user=user, course=course)
    finally:
        post_init.disconnect(other_request_wins, sender=Enrolment)

    assert enrolment.pk == winner[0].pk
    assert Enrolment.objects.filter(user=user, course=course).count() == 1
    assert _launches(user) == 0  # the winner's request sends its own launch


@pytest.mark.django_db
def test_enrol_double_submit_keeps_one_enrolment(client):
    course = course_with_lessons(lessons=1, assessment=False)
    user = UserFactory()
    client.force_login(user)

    first = client.post(reverse("learners:enrol", args=[course.pk]))
    second = client.post(reverse("learners:enrol", args=[course.pk]))

    assert first.status_code == second.status_code == 302
    assert Enrolment.objects.filter(user=user, course=course).count() == 1
    assert _launches(user) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_enrolments_make_one_enrolment_and_no_error():
    _ensure_root()
    course = course_with_lessons(lessons=1, assessment=False)
    user = UserFactory()
    url = reverse("learners:enrol", args=[course.pk])
    barrier = threading.Barrier(20)
    statuses, errors = [], []

    def enrol():
        try:
            client = Client(raise_request_exception=True)
            client.force_login(user)
            barrier.wait()
            statuses.append(client.post(url).status_code)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=enrol) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == [302] * 20
    assert Enrolment.objects.filter(user=user, course=course).count() == 1
    assert _launches(user) == 1
