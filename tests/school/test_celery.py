from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from school.celery import app
from school.tasks import sessions_clear_expired


def test_celery_app_is_configured_from_django_settings():
    assert app.main == "school"
    assert app.conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]


def test_beat_schedule_names_only_registered_tasks():
    app.loader.import_default_modules()  # what a worker or beat does at start-up

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert {"school.tasks.heartbeat", "school.tasks.sessions_clear_expired"} <= scheduled
    assert scheduled - set(app.tasks) == set()


@pytest.mark.django_db
def test_sessions_clear_expired_deletes_only_expired_sessions_and_can_run_twice():
    expired = SessionStore()
    expired.set_expiry(timezone.now() - timedelta(minutes=1))
    expired.create()
    current = SessionStore()
    current.create()

    sessions_clear_expired.delay()
    sessions_clear_expired.delay()

    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]
