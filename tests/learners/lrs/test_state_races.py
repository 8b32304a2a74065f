"""Concurrent writes to one new document on PostgreSQL: nothing lost, preconditions hold."""

import json
import threading
from collections import Counter

import pytest
from django.db import connection

from learners.lrs.documents import services
from learners.lrs.documents.errors import DocumentError
from learners.lrs.documents.refs import ActivityProfileRef, StateRef
from learners.lrs.models import ActivityProfile, StateDocument

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 8


def _race(write):
    """Run write(n) in WRITERS threads released at once; return what each returned or raised."""
    barrier = threading.Barrier(WRITERS)
    outcomes = [None] * WRITERS

    def run(n):
        try:
            barrier.wait()
            write(n)
            outcomes[n] = 204
        except DocumentError as error:
            outcomes[n] = error.status
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(outcomes)


def test_state_racing_posts_to_a_new_document_merge_every_property():
    ref = StateRef("http://www.example.com/race", "mbox:mailto:racer@example.com", "shared")
    outcomes = _race(
        lambda n: services.document_post(
            ref=ref, content=json.dumps({f"k{n}": n}).encode(), content_type="application/json"
        )
    )
    assert outcomes == Counter({204: WRITERS})
    stored = json.loads(bytes(StateDocument.objects.get().content))
    assert stored == {f"k{n}": n for n in range(WRITERS)}


def test_activity_profile_racing_if_none_match_creates_exactly_once():
    ref = ActivityProfileRef("http://www.example.com/race", "only-once")
    outcomes = _race(
        lambda n: services.document_put(
            ref=ref,
            content=json.dumps({"writer": n}).encode(),
            content_type="application/json",
            if_none_match="*",
        )
    )
    assert outcomes == Counter({204: 1, 412: WRITERS - 1})
    assert ActivityProfile.objects.count() == 1
