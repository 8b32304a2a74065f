import pytest

from learners.lrs.documents import selectors, services
from learners.lrs.documents.activities import definition_merge, statement_activities
from learners.lrs.models import Activity
from tests.factories.lrs_documents import ActivityFactory

pytestmark = pytest.mark.django_db

IRI = "http://www.example.com/activities/course"


def test_statement_activities_finds_object_context_and_substatement_activities():
    statement = {
        "actor": {"mbox": "mailto:a@example.com"},
        "object": {
            "objectType": "SubStatement",
            "object": {"id": "http://a/sub"},
            "context": {"contextActivities": {"parent": {"id": "http://a/sub-parent"}}},
        },
        "context": {
            "contextActivities": {
                "grouping": [{"id": "http://a/group"}],
                "category": [{"id": "http://a/cat", "definition": {"type": "http://t"}}],
            }
        },
    }
    found = [activity["id"] for activity in statement_activities(statement)]
    assert found == ["http://a/sub", "http://a/sub-parent", "http://a/group", "http://a/cat"]


def test_statement_activities_ignores_agents_and_statement_refs():
    assert statement_activities({"object": {"objectType": "Agent", "mbox": "mailto:a@b.c"}}) == []
    assert statement_activities({"object": {"objectType": "StatementRef", "id": "x"}}) == []


def test_definition_merge_merges_language_maps_and_replaces_other_properties():
    stored = {"name": {"en-GB": "Old", "fr": "Vieux"}, "type": "http://t/1", "choices": [1]}
    newer = {"name": {"en-GB": "New"}, "type": "http://t/2", "choices": [2]}
    assert definition_merge(stored, newer) == {
        "name": {"en-GB": "New", "fr": "Vieux"},
        "type": "http://t/2",
        "choices": [2],
    }


def test_activity_definitions_upsert_creates_merges_and_skips_undefined():
    written = services.activity_definitions_upsert(
        activities=[
            {"id": IRI, "definition": {"name": {"en-GB": "Course"}}},
            {"id": "http://www.example.com/no-definition"},
            {"id": IRI, "definition": {"description": {"en-GB": "About"}}},
        ]
    )
    assert written == 1
    assert Activity.objects.get().definition == {
        "name": {"en-GB": "Course"},
        "description": {"en-GB": "About"},
    }
    services.activity_definitions_upsert(activities=[{"id": IRI, "definition": {"type": "x:t"}}])
    assert Activity.objects.get().definition["type"] == "x:t"
    assert Activity.objects.get().definition["name"] == {"en-GB": "Course"}


def test_activity_definitions_upsert_unchanged_definition_writes_nothing():
    ActivityFactory(activity_id=IRI, definition={"name": {"en-GB": "Course"}})
    assert (
        services.activity_definitions_upsert(
            activities=[{"id": IRI, "definition": {"name": {"en-GB": "Course"}}}]
        )
        == 0
    )


def test_activity_object_known_and_unknown():
    ActivityFactory(activity_id=IRI, definition={"name": {"en-GB": "Course"}})
    assert selectors.activity_object(activity_id=IRI) == {
        "objectType": "Activity",
        "id": IRI,
        "definition": {"name": {"en-GB": "Course"}},
    }
    assert selectors.activity_object(activity_id="http://unknown") == {
        "objectType": "Activity",
        "id": "http://unknown",
    }
