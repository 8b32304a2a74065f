import factory
from django.utils import timezone

from learners.lrs.documents.etags import etag_for
from learners.lrs.documents.refs import ActivityProfileRef, AgentProfileRef, StateRef, digest
from learners.lrs.models import Activity, ActivityProfile, AgentProfile, StateDocument

AGENT_IFI = "account::http://www.example.com/agentId/1|Rick James"


class _DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    content = b'{"x": "foo", "y": "bar"}'
    content_type = "application/json"
    etag = factory.LazyAttribute(lambda o: etag_for(o.content))
    updated = factory.LazyFunction(timezone.now)


class StateDocumentFactory(_DocumentFactory):
    class Meta:
        model = StateDocument

    activity_id = factory.Sequence(lambda n: f"http://www.example.com/activities/{n}")
    agent_ifi = AGENT_IFI
    registration = None
    state_id = factory.Sequence(lambda n: f"state-{n}")
    doc_key = factory.LazyAttribute(
        lambda o: StateRef(o.activity_id, o.agent_ifi, o.state_id, o.registration).doc_key
    )
    scope_key = factory.LazyAttribute(
        lambda o: StateRef(o.activity_id, o.agent_ifi, o.state_id, o.registration).scope_key
    )


class ActivityProfileFactory(_DocumentFactory):
    class Meta:
        model = ActivityProfile

    activity_id = factory.Sequence(lambda n: f"http://www.example.com/activities/{n}")
    profile_id = factory.Sequence(lambda n: f"profile-{n}")
    doc_key = factory.LazyAttribute(
        lambda o: ActivityProfileRef(o.activity_id, o.profile_id).doc_key
    )
    scope_key = factory.LazyAttribute(
        lambda o: ActivityProfileRef(o.activity_id, o.profile_id).scope_key
    )


class AgentProfileFactory(_DocumentFactory):
    class Meta:
        model = AgentProfile

    agent_ifi = AGENT_IFI
    profile_id = factory.Sequence(lambda n: f"profile-{n}")
    doc_key = factory.LazyAttribute(lambda o: AgentProfileRef(o.agent_ifi, o.profile_id).doc_key)
    scope_key = factory.LazyAttribute(
        lambda o: AgentProfileRef(o.agent_ifi, o.profile_id).scope_key
    )


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    activity_id = factory.Sequence(lambda n: f"http://www.example.com/activities/{n}")
    activity_key = factory.LazyAttribute(lambda o: digest(o.activity_id))
    definition = factory.LazyFunction(lambda: {"name": {"en-GB": "An activity"}})
    updated = factory.LazyFunction(timezone.now)


XAPI_VERSION_HEADER = {"X-Experience-API-Version": "1.0.3"}


def lrs_basic_auth(*, scopes=("all",), name=None) -> str:
    """An active LRSClient with these scopes; returns its HTTP Basic Authorization value."""
    import base64
    import secrets

    from learners.lrs.models import LRSClient

    secret = secrets.token_hex(8)
    client = LRSClient(name=name or f"client-{secrets.token_hex(4)}", scopes=list(scopes))
    client.set_secret(secret)
    client.save()
    return "Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode()


def xapi_call(
    client, method, path, *, params=None, body=b"", content_type=None, headers=None, auth=None
):
    """One xAPI request through the Django test client; params go in the query string."""
    import json
    from urllib.parse import urlencode

    query = {
        key: json.dumps(value) if isinstance(value, dict) else value
        for key, value in (params or {}).items()
    }
    url = f"{path}?{urlencode(query)}" if query else path
    if isinstance(body, dict | list):
        body = json.dumps(body).encode()
        content_type = content_type or "application/json"
    all_headers = {**XAPI_VERSION_HEADER, **(headers or {})}
    if auth:
        all_headers["Authorization"] = auth
    return client.generic(
        method,
        url,
        data=body,
        content_type=content_type or "application/octet-stream",
        headers=all_headers,
    )
