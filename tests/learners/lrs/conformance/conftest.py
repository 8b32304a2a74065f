"""Fixtures for the xAPI 1.0.3 conformance tests: a Basic credential and a small client."""

import pytest

from tests.factories.lrs import LRSClientFactory

from .xapi import XAPI


@pytest.fixture
def lrs_credential(db):
    return LRSClientFactory()


@pytest.fixture
def xapi(client, lrs_credential):
    """Calls /xapi/ as a conformant client would: Basic credential and the version header."""
    return XAPI(client, lrs_credential)
