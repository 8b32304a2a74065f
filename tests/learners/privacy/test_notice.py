"""The privacy notice's table comes from the register, so it says what the code declares."""

import pytest
from django.template import Context, Template
from django.utils.html import escape

from learners.privacy import register

pytestmark = pytest.mark.django_db


def test_register_table_lists_every_declared_purpose_and_retention(settings):
    settings.PRIVACY_RETENTION_DAYS = {**settings.PRIVACY_RETENTION_DAYS, "audit": 123}
    html = Template("{% load privacy_tags %}{% personal_data_register %}").render(Context())
    declared = register.declarations()
    for entry in declared:
        assert escape(register.PURPOSES[entry.purpose]) in html, entry.purpose
        assert escape(register.retention_text(entry.retention)) in html, entry.retention
    assert "123 days, then deleted." in html


def test_privacy_notice_page_states_every_declared_purpose_and_retention(client):
    html = client.get("/privacy/").content.decode()
    for entry in register.declarations():
        assert escape(register.PURPOSES[entry.purpose]) in html, entry.purpose
        assert escape(register.retention_text(entry.retention)) in html, entry.retention
    assert "/account/your-data/" in html
