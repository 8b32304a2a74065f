"""Who may void what (issue 10; xAPI 1.0.3 Data 2.3.2): the source that stored a statement, or
a client an admin granted the separate `void` scope; never a learner's session or launch token.
Refused with 403 and a JSON error naming the rule, storing nothing of the batch.
"""

import json
import uuid

import pytest
from tincan import (
    Activity,
    Agent,
    AgentAccount,
    LanguageMap,
    RemoteLRS,
    Statement,
    StatementRef,
    Verb,
)

from learners.lrs.auth import lrs_launch_authorization
from learners.lrs.models import Statement as Stored
from tests.factories.learners import DEFAULT_PASSWORD, UserFactory
from tests.factories.lrs import (
    LRSClientFactory,
    account_agent,
    basic_auth,
    statement,
    xapi_headers,
)

URL = "/xapi/statements"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
PASSED = "http://adlnet.gov/expapi/verbs/passed"


def post(client, data, **headers):
    return client.post(URL, json.dumps(data), content_type="application/json", **headers)


def voiding(target_id: str, actor: dict) -> dict:
    return statement(
        actor=actor,
        verb={"id": VOIDED, "display": {"en-GB": "voided"}},
        object={"objectType": "StatementRef", "id": target_id},
    )


def passed(user) -> dict:
    return statement(
        actor=account_agent(str(user.learner_id)),
        verb={"id": PASSED, "display": {"en-GB": "passed"}},
    )


def assert_refused(response):
    assert response.status_code == 403
    error = response.json()["error"]
    assert "Data 2.3.2" in error["rule"]
    assert error["property"] in ("verb.id", "object.id")


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["session", "launch token"])
def test_learner_cannot_void_anyones_statement_even_their_own(client, how):
    victim, learner = UserFactory(), UserFactory()
    source = LRSClientFactory(scopes=["statements/write"])
    theirs, own = passed(victim), passed(learner)
    assert post(client, theirs, **xapi_headers(source)).status_code == 200
    assert post(client, own, **xapi_headers(source)).status_code == 200
    if how == "session":
        client.login(email=learner.email, password=DEFAULT_PASSWORD)
        headers = xapi_headers()
    else:
        headers = xapi_headers(HTTP_AUTHORIZATION=lrs_launch_authorization(learner))
    actor = account_agent(str(learner.learner_id))
    harmless = passed(learner)

    for target in (theirs["id"], own["id"]):
        response = post(client, [harmless, voiding(target, actor)], **headers)
        assert_refused(response)
        assert "may not void" in response.json()["error"]["message"]

    assert not Stored.objects.filter(statement_id=harmless["id"]).exists()  # nothing stored
    assert Stored.objects.filter(voided=True).count() == 0


@pytest.mark.django_db
def test_client_cannot_void_another_sources_statement_and_stores_nothing(client):
    learner = UserFactory()
    source, other = LRSClientFactory(scopes=["all"]), LRSClientFactory(scopes=["all"])
    target = passed(learner)
    post(client, target, **xapi_headers(source))
    unrelated = statement()

    response = post(
        client, [unrelated, voiding(target["id"], account_agent("x"))], **xapi_headers(other)
    )

    assert_refused(response)
    assert "another source stored" in response.json()["error"]["message"]
    assert not Stored.objects.filter(statement_id=unrelated["id"]).exists()
    assert Stored.objects.get(statement_id=target["id"]).voided is False


@pytest.mark.django_db
def test_platform_statements_cannot_be_voided_by_a_client_without_the_void_scope(client):
    from courses.models import CoursePage
    from learners.learning import services
    from tests.factories.courses import course_with_lessons

    learner = UserFactory()
    course = course_with_lessons(lessons=1, assessment=False)
    services.enrolment_create(user=learner, course=CoursePage.objects.get(pk=course.pk))
    launched = Stored.objects.get()
    response = post(
        client,
        voiding(str(launched.statement_id), account_agent("x")),
        **xapi_headers(LRSClientFactory(scopes=["all"])),
    )
    assert_refused(response)
    assert Stored.objects.get(pk=launched.pk).voided is False


@pytest.mark.django_db
def test_void_scope_is_separate_from_all_and_lets_an_admin_void_any_statement(client):
    learner = UserFactory()
    source = LRSClientFactory(scopes=["statements/write"])
    target = passed(learner)
    post(client, target, **xapi_headers(source))
    voider = LRSClientFactory(scopes=["statements/write", "void"])

    response = post(client, voiding(target["id"], account_agent("admin")), **xapi_headers(voider))

    assert response.status_code == 200
    assert Stored.objects.get(statement_id=target["id"]).voided is True


@pytest.mark.django_db
def test_a_statement_voided_before_it_arrives_only_by_its_own_source_or_a_void_client(client):
    learner = UserFactory()
    source = LRSClientFactory(scopes=["statements/write"])
    stranger = LRSClientFactory(scopes=["statements/write"])
    voider = LRSClientFactory(scopes=["statements/write", "void"])
    first, second, third = passed(learner), passed(learner), passed(learner)
    # Data 2.3.2: a voiding statement whose target is not stored yet is accepted.
    for target, by in ((first, stranger), (second, voider), (third, source)):
        assert (
            post(client, voiding(target["id"], account_agent("v")), **xapi_headers(by)).status_code
            == 200
        )
    for target in (first, second, third):
        post(client, target, **xapi_headers(source))

    voided = dict(Stored.objects.filter(is_voiding=False).values_list("statement_id", "voided"))
    assert voided == {
        uuid.UUID(first["id"]): False,  # a stranger's voiding statement voids nothing
        uuid.UUID(second["id"]): True,
        uuid.UUID(third["id"]): True,
    }


# --- Through the real tincan client ---------------------------------------------------------


def _tincan(live_server, lrs_client) -> RemoteLRS:
    return RemoteLRS(
        endpoint=f"{live_server.url}/xapi/", version="1.0.3", auth=basic_auth(lrs_client)
    )


def _passed_statement(name: str) -> Statement:
    return Statement(
        actor=Agent(account=AgentAccount(home_page="http://www.example.com", name=name)),
        verb=Verb(id=PASSED, display=LanguageMap({"en-GB": "passed"})),
        object=Activity(id="http://www.example.com/activities/quiz"),
    )


def _voiding_statement(target_id) -> Statement:
    return Statement(
        actor=Agent(account=AgentAccount(home_page="http://www.example.com", name="admin")),
        verb=Verb(id=VOIDED, display=LanguageMap({"en-GB": "voided"})),
        object=StatementRef(id=target_id),
    )


@pytest.mark.django_db(transaction=True)
def test_tincan_clients_void_their_own_but_not_anothers(live_server):
    owner = _tincan(live_server, LRSClientFactory(scopes=["statements/write", "statements/read"]))
    other = _tincan(live_server, LRSClientFactory(scopes=["all"]))
    saved = owner.save_statement(_passed_statement("learner-1"))
    assert saved.success, saved.data
    target_id = saved.content.id

    refused = other.save_statement(_voiding_statement(target_id))
    assert not refused.success
    assert refused.response.status == 403
    assert "Data 2.3.2" in json.loads(refused.data)["error"]["rule"]
    assert Stored.objects.get(statement_id=target_id).voided is False

    accepted = owner.save_statement(_voiding_statement(target_id))
    assert accepted.success, accepted.data
    assert Stored.objects.get(statement_id=target_id).voided is True
