"""Credentials and scopes of the xAPI endpoints (xAPI 1.0.3 Communication 4)."""

import base64
import json
from io import StringIO

import pytest
from django.core.management import call_command

from learners.lrs.auth import lrs_launch_authorization, lrs_launch_token_for
from learners.lrs.models import LRSClient, Statement
from tests.factories.learners import DEFAULT_PASSWORD, UserFactory
from tests.factories.lrs import LRSClientFactory, account_agent, agent, statement, xapi_headers

pytestmark = pytest.mark.django_db

URL = "/xapi/statements"


def post(client, data, **headers):
    return client.post(URL, json.dumps(data), content_type="application/json", **headers)


def learner_statement(user, **overrides):
    return statement(actor=account_agent(str(user.learner_id)), **overrides)


def test_statements_without_credentials_is_401_with_www_authenticate(client):
    response = client.get(URL, **xapi_headers())
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")
    assert "Basic" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer abc",
        "Basic !!!notbase64",
        "Basic " + base64.b64encode(b"no-colon").decode(),
        "Basic " + base64.b64encode(b"unknown:secret").decode(),
    ],
)
def test_statements_bad_credentials_are_401(client, authorization):
    response = client.get(URL, **xapi_headers(HTTP_AUTHORIZATION=authorization))
    assert response.status_code == 401
    assert response.json()["error"]["message"]


def test_statements_wrong_secret_or_inactive_client_is_401(client):
    lrs_client = LRSClientFactory()
    wrong = base64.b64encode(f"{lrs_client.key}:wrong".encode()).decode()
    assert client.get(URL, **xapi_headers(HTTP_AUTHORIZATION=f"Basic {wrong}")).status_code == 401
    lrs_client.active = False
    lrs_client.save()
    assert client.get(URL, **xapi_headers(lrs_client)).status_code == 401


def test_lrs_client_secret_is_hashed_at_rest():
    lrs_client = LRSClientFactory(secret="a-raw-secret-value")
    assert "a-raw-secret-value" not in lrs_client.secret_hash
    assert lrs_client.check_secret("a-raw-secret-value")


def test_statements_write_scope_cannot_read(client):
    writer = LRSClientFactory(scopes=["statements/write"])
    assert post(client, statement(), **xapi_headers(writer)).status_code == 200
    response = client.get(URL, **xapi_headers(writer))
    assert response.status_code == 403
    assert "statements/read/mine" in response.json()["error"]["message"]


def test_statements_read_scope_cannot_write(client):
    reader = LRSClientFactory(scopes=["statements/read"])
    response = post(client, statement(), **xapi_headers(reader))
    assert response.status_code == 403
    assert "statements/write" in response.json()["error"]["message"]
    assert Statement.objects.count() == 0


def test_statements_read_mine_sees_only_its_own_statements(client):
    mine = LRSClientFactory(scopes=["statements/write", "statements/read/mine"])
    other = LRSClientFactory(scopes=["statements/write"])
    reader = LRSClientFactory(scopes=["statements/read"])
    own, theirs = statement(), statement()
    post(client, own, **xapi_headers(mine))
    post(client, theirs, **xapi_headers(other))
    listed = client.get(URL, **xapi_headers(mine)).json()["statements"]
    assert [s["id"] for s in listed] == [own["id"]]
    response = client.get(URL, {"statementId": theirs["id"]}, **xapi_headers(mine))
    assert response.status_code == 404
    everything = client.get(URL, **xapi_headers(reader)).json()["statements"]
    assert {s["id"] for s in everything} == {own["id"], theirs["id"]}


def test_statements_all_read_scope_reads_everything_but_cannot_write(client):
    writer = LRSClientFactory(scopes=["statements/write"])
    post(client, statement(), **xapi_headers(writer))
    reader = LRSClientFactory(scopes=["all/read"])
    assert len(client.get(URL, **xapi_headers(reader)).json()["statements"]) == 1
    assert post(client, statement(), **xapi_headers(reader)).status_code == 403


def test_statements_authority_is_the_client(client):
    lrs_client = LRSClientFactory()
    data = statement(authority=agent("forged"))
    post(client, data, **xapi_headers(lrs_client))
    stored = Statement.objects.get().exact_json()
    assert stored["authority"]["account"]["name"] == lrs_client.key


def test_statements_learner_session_writes_and_reads_only_own(client):
    learner, other = UserFactory(), UserFactory()
    client.login(email=learner.email, password=DEFAULT_PASSWORD)
    own = learner_statement(learner)
    assert post(client, own, **xapi_headers()).status_code == 200
    response = post(client, learner_statement(other), **xapi_headers())
    assert response.status_code == 403
    assert "signed-in learner" in response.json()["error"]["message"]
    # Someone else's statement, stored by a client, is invisible to the learner.
    theirs = learner_statement(other)
    post(client, theirs, **xapi_headers(LRSClientFactory()))
    listed = client.get(URL, **xapi_headers()).json()["statements"]
    assert [s["id"] for s in listed] == [own["id"]]
    assert client.get(URL, {"statementId": theirs["id"]}, **xapi_headers()).status_code == 404


def test_statements_learner_session_refused_cross_origin(client):
    learner = UserFactory()
    client.login(email=learner.email, password=DEFAULT_PASSWORD)
    response = client.get(URL, **xapi_headers(HTTP_ORIGIN="https://evil.example.com"))
    assert response.status_code == 401


def test_statements_launch_token_acts_for_the_learner_only(client):
    learner, other = UserFactory(), UserFactory()
    headers = xapi_headers(HTTP_AUTHORIZATION=lrs_launch_authorization(learner))
    assert post(client, learner_statement(learner), **headers).status_code == 200
    assert post(client, learner_statement(other), **headers).status_code == 403
    stored = Statement.objects.get().exact_json()
    assert stored["authority"]["account"]["name"] == str(learner.learner_id)


def test_statements_launch_token_tampered_or_expired_is_401(client, monkeypatch):
    from learners.lrs import auth

    learner = UserFactory()
    token = lrs_launch_token_for(learner)
    forged = base64.b64encode(f"launch:{token}x".encode()).decode()
    response = client.get(URL, **xapi_headers(HTTP_AUTHORIZATION=f"Basic {forged}"))
    assert response.status_code == 401
    monkeypatch.setattr(auth, "LAUNCH_MAX_AGE", -1)
    response = client.get(URL, **xapi_headers(HTTP_AUTHORIZATION=lrs_launch_authorization(learner)))
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]


def test_create_lrs_client_command_prints_working_credentials(client):
    out = StringIO()
    call_command("create_lrs_client", "Content vendor", "--scope", "statements/write", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["endpoint"] == "http://testserver/xapi/"
    lrs_client = LRSClient.objects.get(name="Content vendor")
    assert lrs_client.key == printed["key"]
    assert lrs_client.scopes == ["statements/write"]
    assert printed["secret"] not in lrs_client.secret_hash
    raw = base64.b64encode(f"{printed['key']}:{printed['secret']}".encode()).decode()
    response = post(client, statement(), **xapi_headers(HTTP_AUTHORIZATION=f"Basic {raw}"))
    assert response.status_code == 200


def test_create_lrs_client_command_rejects_duplicate_names():
    from django.core.management.base import CommandError

    call_command("create_lrs_client", "Twice", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("create_lrs_client", "Twice", stdout=StringIO())
