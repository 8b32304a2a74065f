import json

import pytest

from learners.lrs.documents import selectors, services
from learners.lrs.documents.errors import (
    DocumentBadRequest,
    DocumentConflict,
    DocumentPreconditionFailed,
)
from learners.lrs.documents.etags import quoted
from learners.lrs.documents.refs import ActivityProfileRef, ActivityProfileScope
from learners.lrs.models import ActivityProfile
from tests.factories.lrs_documents import ActivityProfileFactory

pytestmark = pytest.mark.django_db

ACTIVITY = "http://www.example.com/activities/profiled"


def test_activity_profile_put_without_precondition_on_new_document_is_400():
    with pytest.raises(DocumentBadRequest) as error:
        services.document_put(
            ref=ActivityProfileRef(ACTIVITY, "p"), content=b"{}", content_type="application/json"
        )
    assert "If-Match" in error.value.message and "If-None-Match" in error.value.message
    assert error.value.rule == "xAPI 1.0.3 Communication 3.1.s3.b1"
    assert not ActivityProfile.objects.exists()


def test_activity_profile_put_without_precondition_on_existing_document_is_409():
    existing = ActivityProfileFactory(activity_id=ACTIVITY, profile_id="p", content=b'{"a": 1}')
    with pytest.raises(DocumentConflict) as error:
        services.document_put(
            ref=ActivityProfileRef(ACTIVITY, "p"), content=b"{}", content_type="application/json"
        )
    # The message explains how to resolve the conflict (Communication 3.1.s4.b14).
    assert "GET" in error.value.message
    assert quoted(existing.etag) in error.value.message
    existing.refresh_from_db()
    assert bytes(existing.content) == b'{"a": 1}'


def test_activity_profile_put_if_none_match_creates_then_if_match_replaces():
    ref = ActivityProfileRef(ACTIVITY, "p")
    created = services.document_put(
        ref=ref, content=b'{"a": 1}', content_type="application/json", if_none_match="*"
    )
    services.document_put(
        ref=ref, content=b'{"b": 2}', content_type="application/json", if_match=quoted(created.etag)
    )
    assert json.loads(bytes(selectors.document_get(ref=ref).content)) == {"b": 2}
    with pytest.raises(DocumentPreconditionFailed):
        services.document_put(
            ref=ref, content=b"{}", content_type="application/json", if_match=quoted(created.etag)
        )


def test_activity_profile_post_without_headers_merges():
    ref = ActivityProfileRef(ACTIVITY, "p")
    services.document_post(ref=ref, content=b'{"car": "Honda"}', content_type="application/json")
    services.document_post(ref=ref, content=b'{"type": "Civic"}', content_type="application/json")
    stored = json.loads(bytes(selectors.document_get(ref=ref).content))
    assert stored == {"car": "Honda", "type": "Civic"}


def test_activity_profile_ids_are_per_activity():
    ActivityProfileFactory(activity_id=ACTIVITY, profile_id="one")
    ActivityProfileFactory(activity_id=ACTIVITY, profile_id="two")
    ActivityProfileFactory(activity_id=ACTIVITY + "/else", profile_id="three")
    ids, _ = selectors.document_ids(scope=ActivityProfileScope(ACTIVITY))
    assert ids == ["one", "two"]
