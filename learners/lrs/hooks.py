"""Callbacks that higher floors register to hear about stored statements, after commit.

The LRS cannot import the apps above it (reporting, say); they register here instead, in their
AppConfig.ready(). A callback gets the list of stored statement ids and must be quick (enqueue
a task, not do the work).
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)

_after_store = []


def register_after_store(callback) -> None:
    """Call `callback(statement_ids)` after each commit that stored statements."""
    if callback not in _after_store:
        _after_store.append(callback)


def statements_stored(statement_ids: list[str]) -> None:
    """Run the registered callbacks once the current transaction commits."""
    for callback in _after_store:
        transaction.on_commit(lambda cb=callback: _safely(cb, statement_ids))


def _safely(callback, statement_ids) -> None:
    try:
        callback(statement_ids)
    except Exception:  # noqa: BLE001 - a listener must never break the store
        logger.exception("after-store callback %r failed", callback)


_credentials_authenticators = []


def register_credentials_authenticator(authenticator) -> None:
    """`authenticator(key, secret) -> LRSAuth | None`: credentials the LRS does not issue itself
    (cmi5 AU tokens). It returns None for keys that are not its own, and raises
    `auth.AuthenticationFailed` for its own keys that are wrong or dead.
    """
    if authenticator not in _credentials_authenticators:
        _credentials_authenticators.append(authenticator)


def credentials_authenticate(key: str, secret: str):
    for authenticator in _credentials_authenticators:
        auth = authenticator(key, secret)
        if auth is not None:
            return auth
    return None


_agents_erased = []


def register_agents_erased(callback) -> None:
    """Call `callback(statement_ids)` after a commit that pseudonymised these statements.

    This is how forwarding targets are told of an erasure: the statements they were sent still
    name the person there. `learners.lrs.forwarding` registers the default listener, which logs
    each target's share for its operator; a deployment that can reach a target's operator
    (a ticket, an email, an API of theirs) registers its own. Statement ids are not personal
    data, so they can travel where the person's identity must not.
    """
    if callback not in _agents_erased:
        _agents_erased.append(callback)


def agents_erased(statement_ids: list[str]) -> None:
    """Run the registered erasure listeners once the current transaction commits."""
    for callback in _agents_erased:
        transaction.on_commit(lambda cb=callback: _safely(cb, statement_ids))
