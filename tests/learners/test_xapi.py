import pytest
from tincan import Activity, Statement

from learners.lrs.models import Statement as StoredStatement
from learners.lrs.services import platform_authority, statements_store
from learners.xapi import EXPERIENCED, activity_iri, actor_for, statement_json, verb
from tests.factories.learners import UserFactory

pytestmark = pytest.mark.django_db


def test_built_statement_is_stored_through_statements_store_with_the_account_ifi():
    user = UserFactory()
    built = Statement(
        actor=actor_for(user),
        verb=verb(EXPERIENCED),
        object=Activity(id=activity_iri("lesson", "abc")),
    )

    [statement_id] = statements_store(statements=[statement_json(built)])

    row = StoredStatement.objects.get(statement_id=statement_id)
    assert row.actor_ifi == f"account:http://testserver {user.learner_id}"
    assert row.verb_id == "http://adlnet.gov/expapi/verbs/experienced"
    assert row.exact_json()["verb"]["display"] == {"en-GB": "experienced"}
    assert row.exact_json()["authority"] == platform_authority()
    assert "mbox" not in row.payload


def test_activity_iri_scheme_is_unchanged():
    # Stored statements are matched on these strings.
    assert activity_iri("course", "k") == "http://testserver/xapi/activities/course/k"
