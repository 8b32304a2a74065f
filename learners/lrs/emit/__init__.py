"""The platform's own xAPI statements, built with tincan. The only code that imports tincan
besides forwarding. Every statement goes through `statements_store`, like one from /xapi/.
"""

from django.conf import settings
from tincan import Agent, AgentAccount, Statement


def actor_for(user) -> Agent:
    """The learner's agent (learners.identity.learner_agent): an account IFI, never an email."""
    from learners.identity import learner_agent

    agent = learner_agent(user, with_name=True)
    account = agent["account"]
    return Agent(
        name=agent.get("name"),
        account=AgentAccount(home_page=account["homePage"], name=account["name"]),
    )


def activity_iri(kind: str, key: str) -> str:
    """A stable activity IRI under the site's base URL (pages pass their translation_key)."""
    return f"{settings.SITE_BASE_URL}/xapi/activities/{kind}/{key}"


def send(*statements: Statement) -> list[str]:
    """Store the statements through the one write path; returns their ids."""
    from learners.lrs.services import statements_store

    payload = [statement.as_version("1.0.3") for statement in statements]
    return statements_store(statements=payload)
