import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from learners.lrs.documents import selectors, services
from learners.lrs.documents.errors import DocumentBadRequest, DocumentPreconditionFailed
from learners.lrs.documents.etags import check_preconditions, etag_for, parse_tags, quoted
from learners.lrs.documents.refs import StateRef, StateScope
from learners.lrs.models import StateDocument
from tests.factories.lrs_documents import AGENT_IFI, StateDocumentFactory

pytestmark = pytest.mark.django_db

ACTIVITY = "http://www.example.com/activities/state-services"


def _ref(state_id="bookmark", registration=None):
    return StateRef(ACTIVITY, AGENT_IFI, state_id, registration)


def test_etag_for_is_lowercase_sha1_hex():
    assert etag_for(b"abc") == "a9993e364706816aba3e25717850c26c9cd0d89d"
    assert quoted("ab") == '"ab"'


def test_parse_tags_reads_lists_weak_tags_and_unquoted_tags():
    assert parse_tags("*") == "*"
    assert parse_tags('"AA", W/"bb" , cc') == ("aa", "W/bb", "cc")


def test_check_preconditions_if_match_weak_tag_never_matches():
    with pytest.raises(DocumentPreconditionFailed):
        check_preconditions(current_etag="aa", if_match='W/"aa"', if_none_match=None)
    check_preconditions(current_etag="aa", if_match='"bb", "aa"', if_none_match=None)


def test_state_put_stores_bytes_type_etag_and_updated():
    document = services.document_put(
        ref=_ref(), content=b"\x00\x01binary", content_type="application/octet-stream"
    )
    stored = StateDocument.objects.get()
    assert stored.pk == document.pk
    assert bytes(stored.content) == b"\x00\x01binary"
    assert stored.content_type == "application/octet-stream"
    assert stored.etag == etag_for(b"\x00\x01binary")
    assert stored.updated <= timezone.now()


def test_state_put_without_headers_replaces_existing_document():
    services.document_put(ref=_ref(), content=b'{"a": 1}', content_type="application/json")
    services.document_put(ref=_ref(), content=b"plain", content_type="text/plain")
    stored = StateDocument.objects.get()
    assert bytes(stored.content) == b"plain"
    assert stored.content_type == "text/plain"


def test_state_put_missing_content_type_defaults_to_octet_stream():
    document = services.document_put(ref=_ref(), content=b"x", content_type=None)
    assert document.content_type == "application/octet-stream"


def test_state_put_if_match_mismatch_is_412_and_changes_nothing():
    existing = StateDocumentFactory(
        activity_id=ACTIVITY, state_id="bookmark", content=b'{"page": 1}'
    )
    with pytest.raises(DocumentPreconditionFailed) as error:
        services.document_put(
            ref=_ref(), content=b"{}", content_type="application/json", if_match='"1111"'
        )
    assert "does not match" in error.value.message
    existing.refresh_from_db()
    assert bytes(existing.content) == b'{"page": 1}'


def test_state_put_if_match_on_missing_document_is_412():
    with pytest.raises(DocumentPreconditionFailed):
        services.document_put(ref=_ref(), content=b"{}", content_type="x/y", if_match="*")
    assert not StateDocument.objects.exists()


def test_state_put_if_none_match_star_on_existing_document_is_412():
    StateDocumentFactory(activity_id=ACTIVITY, state_id="bookmark")
    with pytest.raises(DocumentPreconditionFailed):
        services.document_put(ref=_ref(), content=b"{}", content_type="x/y", if_none_match="*")


def test_state_put_with_matching_if_match_replaces():
    existing = StateDocumentFactory(activity_id=ACTIVITY, state_id="bookmark")
    services.document_put(
        ref=_ref(), content=b"new", content_type="text/plain", if_match=quoted(existing.etag)
    )
    existing.refresh_from_db()
    assert bytes(existing.content) == b"new"


def test_state_registration_keeps_documents_apart():
    registration = uuid.uuid4()
    services.document_put(ref=_ref(), content=b"a", content_type="text/plain")
    services.document_put(ref=_ref(registration=registration), content=b"b", content_type="t/p")
    assert StateDocument.objects.count() == 2
    found = selectors.document_get(ref=_ref(registration=registration))
    assert bytes(found.content) == b"b"
    assert selectors.document_get(ref=_ref(registration=uuid.uuid4())) is None


def test_state_post_merges_top_level_properties():
    services.document_post(
        ref=_ref(), content=b'{"x": "foo", "y": {"a": 1}}', content_type="application/json"
    )
    services.document_post(
        ref=_ref(),
        content=b'{"x": "bash", "y": {"b": 2}, "z": "faz"}',
        content_type="application/json; charset=utf-8",
    )
    stored = StateDocument.objects.get()
    assert json.loads(bytes(stored.content)) == {"x": "bash", "y": {"b": 2}, "z": "faz"}
    assert stored.etag == etag_for(bytes(stored.content))
    assert stored.content_type == "application/json"


def test_state_post_creates_any_document_when_none_exists():
    services.document_post(ref=_ref(), content=b"1", content_type="text/plain")
    assert bytes(StateDocument.objects.get().content) == b"1"


@pytest.mark.parametrize(
    ("stored", "stored_type", "posted", "posted_type", "words"),
    [
        (b'{"a": 1}', "application/json", b"abc", "application/octet-stream", "posted document's"),
        (b"abc", "text/plain", b'{"a": 1}', "application/json", "stored document's"),
        (b'{"a": 1}', "application/json", b'{"a": 1}{', "application/json", "not valid JSON"),
        (b'{"a": 1}', "application/json", b"[1, 2]", "application/json", "not a JSON object"),
        (b"[1]", "application/json", b'{"a": 1}', "application/json", "stored document is JSON"),
    ],
)
def test_state_post_merge_of_non_objects_is_400_and_changes_nothing(
    stored, stored_type, posted, posted_type, words
):
    existing = StateDocumentFactory(
        activity_id=ACTIVITY, state_id="bookmark", content=stored, content_type=stored_type
    )
    with pytest.raises(DocumentBadRequest) as error:
        services.document_post(ref=_ref(), content=posted, content_type=posted_type)
    assert words in error.value.message
    assert error.value.rule == "xAPI 1.0.3 Communication 2.2.s8.b1"
    existing.refresh_from_db()
    assert bytes(existing.content) == stored


def test_state_post_if_match_mismatch_is_412():
    StateDocumentFactory(activity_id=ACTIVITY, state_id="bookmark")
    with pytest.raises(DocumentPreconditionFailed):
        services.document_post(
            ref=_ref(), content=b"{}", content_type="application/json", if_match='"0000"'
        )


def test_state_delete_one_and_missing_one():
    existing = StateDocumentFactory(activity_id=ACTIVITY, state_id="bookmark")
    assert services.document_delete(ref=_ref()) is True
    assert not StateDocument.objects.filter(pk=existing.pk).exists()
    assert services.document_delete(ref=_ref()) is False


def test_state_delete_if_match_mismatch_is_412_and_keeps_document():
    StateDocumentFactory(activity_id=ACTIVITY, state_id="bookmark")
    with pytest.raises(DocumentPreconditionFailed):
        services.document_delete(ref=_ref(), if_match='"abc"')
    assert StateDocument.objects.count() == 1


def test_state_documents_delete_removes_only_the_scope():
    registration = uuid.uuid4()
    StateDocumentFactory(activity_id=ACTIVITY, state_id="a")
    StateDocumentFactory(activity_id=ACTIVITY, state_id="b", registration=registration)
    other_activity = StateDocumentFactory(activity_id=ACTIVITY + "/other", state_id="a")
    other_agent = StateDocumentFactory(activity_id=ACTIVITY, agent_ifi="mbox::mailto:a@b.c")

    deleted = services.state_documents_delete(scope=StateScope(ACTIVITY, AGENT_IFI))

    assert deleted == 2
    assert set(StateDocument.objects.values_list("pk", flat=True)) == {
        other_activity.pk,
        other_agent.pk,
    }


def test_state_documents_delete_with_registration_keeps_other_registrations():
    registration = uuid.uuid4()
    StateDocumentFactory(activity_id=ACTIVITY, state_id="a")
    StateDocumentFactory(activity_id=ACTIVITY, state_id="b", registration=registration)
    services.state_documents_delete(scope=StateScope(ACTIVITY, AGENT_IFI, registration))
    assert list(StateDocument.objects.values_list("state_id", flat=True)) == ["a"]


def test_state_document_ids_filters_by_since_exclusive():
    now = timezone.now()
    StateDocumentFactory(activity_id=ACTIVITY, state_id="old", updated=now - timedelta(hours=1))
    StateDocumentFactory(activity_id=ACTIVITY, state_id="edge", updated=now)
    StateDocumentFactory(activity_id=ACTIVITY, state_id="new", updated=now + timedelta(seconds=1))
    scope = StateScope(ACTIVITY, AGENT_IFI)

    ids, last_modified = selectors.document_ids(scope=scope)
    assert ids == ["old", "edge", "new"]
    assert last_modified == now + timedelta(seconds=1)

    ids, _ = selectors.document_ids(scope=scope, since=now)
    assert ids == ["new"]
    assert selectors.document_ids(scope=scope, since=now + timedelta(days=1)) == ([], None)
