"""LRS clients, statements as JSON, and helpers to call /xapi/ as a client would."""

import base64
import uuid

import factory

from learners.lrs.models import LRSClient

DEFAULT_SECRET = "lrs-client-secret-for-tests"


class LRSClientFactory(factory.django.DjangoModelFactory):
    """Credentials with every scope; the raw secret is DEFAULT_SECRET unless `secret=` is given."""

    class Meta:
        model = LRSClient
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Client {n}")
    scopes = factory.LazyFunction(lambda: ["all"])
    secret_hash = ""

    @factory.post_generation
    def secret(obj, create, extracted, **kwargs):
        obj.set_secret(extracted or DEFAULT_SECRET)
        if create:
            obj.save()


def basic_auth(client: LRSClient, secret: str = DEFAULT_SECRET) -> str:
    return "Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode()


def xapi_headers(client: LRSClient | None = None, *, version: str = "1.0.3", **extra) -> dict:
    """Django test client keyword headers for an xAPI request."""
    headers = {"HTTP_X_EXPERIENCE_API_VERSION": version}
    if client is not None:
        headers["HTTP_AUTHORIZATION"] = basic_auth(client)
    headers.update(extra)
    return headers


def agent(n: int | str = 1) -> dict:
    return {"objectType": "Agent", "mbox": f"mailto:learner{n}@example.gov.uk"}


def account_agent(name: str, home_page: str = "http://testserver") -> dict:
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": name}}


def activity(key: str = "lesson-1", **definition) -> dict:
    found = {"objectType": "Activity", "id": f"http://testserver/xapi/activities/lesson/{key}"}
    if definition:
        found["definition"] = definition
    return found


def statement(**overrides) -> dict:
    """A valid statement with a fresh id; keyword arguments replace top-level properties."""
    data = {
        "id": str(uuid.uuid4()),
        "actor": agent(),
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/completed",
            "display": {"en-GB": "completed"},
        },
        "object": activity(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
