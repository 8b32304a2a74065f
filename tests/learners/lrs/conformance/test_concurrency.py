"""Concurrency (Communication 3.1, XAPI-00322 of ADL's suite): ETags on the profile resources."""

import re

import pytest

from .docs import ACTIVITY_PROFILE, AGENT_PROFILE, PARAMS, document, get_doc, post_doc, put_doc

pytestmark = pytest.mark.django_db

PROFILES = [ACTIVITY_PROFILE, AGENT_PROFILE]


@pytest.mark.parametrize("resource", PROFILES)
def test_concurrency_get_has_quoted_sha1_etag(xapi, resource):
    """XAPI-00322: a GET of a profile has an ETag: a SHA1 hex digest in double quotes."""
    params = PARAMS[resource]()
    assert put_doc(xapi, resource, params, document()).status_code == 204
    response = get_doc(xapi, resource, params)
    assert response.status_code == 200
    etag = response["ETag"].removeprefix("W/")
    assert re.fullmatch(r'"[0-9a-fA-F]{40}"', etag), etag


@pytest.mark.parametrize("resource", PROFILES)
def test_concurrency_if_match_current_etag_succeeds(xapi, resource):
    """XAPI-00322: PUT with If-Match of the current ETag replaces the document (204)."""
    params = PARAMS[resource]()
    post_doc(xapi, resource, params, document())
    etag = get_doc(xapi, resource, params)["ETag"]
    replacement = document()
    response = put_doc(xapi, resource, params, replacement, headers={"If-Match": etag})
    assert response.status_code == 204
    assert get_doc(xapi, resource, params).json() == replacement


@pytest.mark.parametrize("resource", PROFILES)
def test_concurrency_if_none_match_star(xapi, resource):
    """XAPI-00322: If-None-Match: * succeeds when there is no document, 412 when there is one."""
    params = PARAMS[resource]()
    first = document()
    assert put_doc(xapi, resource, params, first).status_code == 204
    assert put_doc(xapi, resource, params, document()).status_code == 412
    assert get_doc(xapi, resource, params).json() == first


@pytest.mark.parametrize("resource", PROFILES)
def test_concurrency_if_match_wrong_etag_is_412(xapi, resource):
    """XAPI-00322: If-Match with a stale ETag is 412 Precondition Failed, nothing changes."""
    params, doc = PARAMS[resource](), document()
    post_doc(xapi, resource, params, doc)
    stale = '"1111111111111111111111111111111111111111"'
    response = put_doc(xapi, resource, params, document(), headers={"If-Match": stale})
    assert response.status_code == 412
    assert get_doc(xapi, resource, params).json() == doc


@pytest.mark.parametrize("resource", PROFILES)
def test_concurrency_put_without_precondition_on_existing_is_409(xapi, resource):
    """XAPI-00322: PUT with neither header over an existing document is 409 with a message,
    and the document is unchanged.
    """
    params, doc = PARAMS[resource](), document()
    post_doc(xapi, resource, params, doc)
    response = put_doc(xapi, resource, params, document(), headers={})
    assert response.status_code == 409
    assert response.content
    assert get_doc(xapi, resource, params).json() == doc
