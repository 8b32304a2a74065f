"""The platform's xAPI vocabulary, and the tincan helpers its statement builders share.

One home for the verb IRIs and the activity and extension IRI scheme: the learning app
(`learners.learning.xapi`), challenges (`challenges.xapi`) and reporting import them from here.
The LRS (`learners.lrs`) stores any conformant statement and knows none of this vocabulary.

Builders return xAPI 1.0.3 statement JSON; the services that record an event store it through
the one write path, `learners.lrs.services.statements_store`, like a statement from /xapi/.
"""

from django.conf import settings
from tincan import Agent, AgentAccount, LanguageMap, Statement, Verb

# ADL verbs (https://adlnet.gov/expapi/verbs/): the platform's and most content's.
ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
LAUNCHED = ADL_VERBS + "launched"
EXPERIENCED = ADL_VERBS + "experienced"
ANSWERED = ADL_VERBS + "answered"
PASSED = ADL_VERBS + "passed"
FAILED = ADL_VERBS + "failed"
COMPLETED = ADL_VERBS + "completed"

LANGUAGE = "en-GB"
XAPI_VERSION = "1.0.3"


def activity_iri(kind: str, key: str) -> str:
    """A stable activity IRI under the site's base URL (pages pass their translation_key).

    Stored statements are matched on these strings: never change the scheme.
    """
    return f"{settings.SITE_BASE_URL}/xapi/activities/{kind}/{key}"


def extension_iri(name: str) -> str:
    """An extension key of the platform's own, under the site's base URL."""
    return f"{settings.SITE_BASE_URL}/xapi/extensions/{name}"


def actor_for(user) -> Agent:
    """An account IFI: the site's home page plus the learner's opaque id, never an email."""
    return Agent(
        name=user.get_full_name() or None,
        account=AgentAccount(home_page=settings.SITE_BASE_URL, name=str(user.learner_id)),
    )


def verb(iri: str, display: str | None = None) -> Verb:
    """A verb displayed in the platform's language; by default the last segment of its IRI."""
    return Verb(id=iri, display=LanguageMap({LANGUAGE: display or iri.rsplit("/", 1)[-1]}))


def statement_json(statement: Statement) -> dict:
    """The statement as xAPI 1.0.3 JSON, ready for `statements_store`."""
    return statement.as_version(XAPI_VERSION)
