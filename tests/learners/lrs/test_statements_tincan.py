"""The real tincan RemoteLRS client against the live server: the Statement Resource."""

import uuid

import pytest
from tincan import (
    Activity,
    ActivityDefinition,
    Agent,
    AgentAccount,
    Context,
    ContextActivities,
    LanguageMap,
    RemoteLRS,
    Result,
    Score,
    Statement,
    StatementRef,
    Verb,
)

from learners.lrs.models import Statement as StoredStatement
from tests.factories.lrs import LRSClientFactory, basic_auth

pytestmark = pytest.mark.django_db(transaction=True)

COURSE = "http://www.example.com/activities/course"


@pytest.fixture
def lrs(live_server):
    lrs_client = LRSClientFactory(scopes=["statements/write", "statements/read"])
    return RemoteLRS(
        endpoint=f"{live_server.url}/xapi/", version="1.0.3", auth=basic_auth(lrs_client)
    )


def _statement(name="tincan-learner", verb="completed", lesson="lesson-1", **extra) -> Statement:
    return Statement(
        actor=Agent(account=AgentAccount(home_page="http://www.example.com", name=name)),
        verb=Verb(
            id=f"http://adlnet.gov/expapi/verbs/{verb}", display=LanguageMap({"en-GB": verb})
        ),
        object=Activity(
            id=f"http://www.example.com/activities/{lesson}",
            definition=ActivityDefinition(name=LanguageMap({"en-GB": lesson})),
        ),
        context=Context(
            registration=uuid.uuid4(),
            context_activities=ContextActivities(parent=[Activity(id=COURSE)]),
        ),
        result=Result(score=Score(scaled=0.8), success=True, completion=True),
        **extra,
    )


def test_tincan_save_and_retrieve_statement(lrs):
    sent = _statement()
    response = lrs.save_statement(sent)
    assert response.success, response.data
    statement_id = response.content.id
    assert StoredStatement.objects.filter(statement_id=statement_id).exists()
    fetched = lrs.retrieve_statement(statement_id)
    assert fetched.success, fetched.data
    assert str(fetched.content.id) == str(statement_id)
    assert fetched.content.verb.id == "http://adlnet.gov/expapi/verbs/completed"
    assert fetched.content.result.score.scaled == 0.8
    assert fetched.content.authority is not None


def test_tincan_save_statement_with_id_uses_put_and_is_idempotent(lrs):
    sent = _statement(id=uuid.uuid4())
    assert lrs.save_statement(sent).success
    assert lrs.save_statement(sent).success
    assert StoredStatement.objects.count() == 1


def test_tincan_save_statements_batch(lrs):
    response = lrs.save_statements([_statement(lesson=f"lesson-{n}") for n in range(3)])
    assert response.success, response.data
    assert StoredStatement.objects.count() == 3


def test_tincan_invalid_statement_is_refused(lrs):
    bad = _statement()
    bad.result.score.scaled = 2
    response = lrs.save_statement(bad)
    assert not response.success
    assert response.response.status == 400
    assert StoredStatement.objects.count() == 0


def test_tincan_query_statements_and_more(lrs):
    for n in range(5):
        assert lrs.save_statement(_statement(name=f"learner-{n % 2}", lesson=f"l{n}")).success
    query = {
        "agent": Agent(account=AgentAccount(home_page="http://www.example.com", name="learner-0")),
        "limit": 2,
    }
    response = lrs.query_statements(query)
    assert response.success, response.data
    seen = [str(s.id) for s in response.content.statements]
    assert len(seen) == 2
    more = response.content.more
    assert more
    response = lrs.more_statements(response.content)
    assert response.success, response.data
    seen += [str(s.id) for s in response.content.statements]
    assert len(seen) == 3 and len(set(seen)) == 3
    related = lrs.query_statements({"activity": Activity(id=COURSE), "related_activities": True})
    assert len(related.content.statements) == 5


def test_tincan_voiding_hides_the_statement(lrs):
    target = _statement()
    target_id = lrs.save_statement(target).content.id
    void = Statement(
        actor=target.actor,
        verb=Verb(id="http://adlnet.gov/expapi/verbs/voided"),
        object=StatementRef(id=target_id),
    )
    assert lrs.save_statement(void).success
    assert not lrs.retrieve_statement(target_id).success
    voided = lrs.retrieve_voided_statement(target_id)
    assert voided.success, voided.data
    assert str(voided.content.id) == str(target_id)
