"""LMS-generated identifiers (cmi5 8.1, 9.4, 9.6.2): different from the publisher's ids and
stable within a registration, so two learners' (or two attempts') statements never share an
activity id.
"""

import uuid

from django.conf import settings

from learners.identity import learner_agent

_NAMESPACE = uuid.UUID("8a0a1c8e-3f6b-4f1e-9d7a-0000000c0e15")


def _iri(kind: str, registration, key: str) -> str:
    name = uuid.uuid5(_NAMESPACE, f"{registration}:{kind}:{key}")
    return f"{settings.SITE_BASE_URL}/xapi/activities/cmi5-{kind}/{name}"


def au_activity_id(*, registration, unit) -> str:
    return _iri("au", registration, unit.publisher_id)


def block_activity_id(*, registration, block_id: str) -> str:
    return _iri("block", registration, block_id)


def course_activity_id(*, registration, package) -> str:
    return _iri("course", registration, package.publisher_id)


def learner_actor(user) -> dict:
    """The launch's actor: the learner's account agent (learners.identity), never an email."""
    return learner_agent(user)
