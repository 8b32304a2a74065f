"""Error codes (Communication 3.2, XAPI-00324..00326), versioning (3.3, XAPI-00330..00333),
authentication (4.0, XAPI-00334, XAPI-00335) and the alternate request syntax (1.3,
XAPI-00336, XAPI-00148) of ADL's suite.
"""

import base64
import json
from urllib.parse import urlencode

import pytest

from .xapi import mbox_agent, new_id, statement

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"


def test_errors_unknown_parameter_is_400(xapi):
    """XAPI-00324: a parameter the LRS does not recognise is a 400."""
    assert xapi.get_statements({"foo": "bar"}).status_code == 400


def test_errors_no_credentials_is_401(xapi):
    """Communication 3.2.s2.b2: a request without credentials is a 401."""
    assert xapi.get_statements(auth=False).status_code == 401


@pytest.mark.parametrize(
    "resource,method,params",
    [
        ("statements", "DELETE", {"statementId": new_id()}),
        ("activities", "DELETE", {"activityId": "http://www.example.com/a"}),
        ("activities", "POST", {"activityId": "http://www.example.com/a"}),
        ("activities", "PUT", {"activityId": "http://www.example.com/a"}),
        ("agents", "DELETE", {"agent": mbox_agent()}),
        ("agents", "POST", {"agent": mbox_agent()}),
        ("agents", "PUT", {"agent": mbox_agent()}),
    ],
)
def test_errors_method_not_in_spec_is_405(xapi, resource, method, params):
    """Communication 3.2.s3.b1: a method the resource does not have is a 405."""
    assert xapi.request(method, resource, params).status_code == 405


@pytest.mark.parametrize(
    "resource,params",
    [
        ("statements", {"statementId": new_id()}),
        ("activities", {"activityId": "http://www.example.com/a"}),
        ("agents", {"agent": mbox_agent()}),
    ],
)
def test_errors_delete_without_credentials_is_405(xapi, resource, params):
    """Communication 3.2.s3.b1 (the suite sends these DELETEs with no credential and version
    1.0.1): the method is refused with 405 before any credential check.
    """
    response = xapi.request("DELETE", resource, params, auth=False, version="1.0.1")
    assert response.status_code == 405


def test_versioning_response_header_is_latest_patch(xapi):
    """XAPI-00333: responses carry X-Experience-API-Version 1.0.3."""
    data = statement()
    xapi.store(data)
    response = xapi.get_statements({"statementId": data["id"]})
    assert response["X-Experience-API-Version"] == "1.0.3"


def test_versioning_statement_not_modified(xapi):
    """XAPI-00330: the LRS does not rewrite a statement into an older version's format."""
    data = statement()
    xapi.store(data)
    found = xapi.fetch(data["id"])
    for key in ("actor", "verb", "object"):
        assert found[key] == data[key]


@pytest.mark.parametrize("method", ["GET", "POST", "PUT"])
def test_versioning_missing_header_is_400(xapi, method):
    """XAPI-00331: a statement request without X-Experience-API-Version is a 400 whose own
    version header is 1.0.x.
    """
    data = statement()
    if method == "GET":
        response = xapi.get_statements({"statementId": data["id"]}, version=None)
    elif method == "POST":
        response = xapi.post_statements(data, version=None)
    else:
        response = xapi.put_statement(data, version=None)
    assert response.status_code == 400
    assert response["X-Experience-API-Version"].startswith("1.0.")


@pytest.mark.parametrize("version", ["0.9", "0.95", "2.0.0", "BAD", "1.1.0"])
def test_versioning_unsupported_version_is_400(xapi, version):
    """XAPI-00331: a version header other than 1.0 / 1.0.x is a 400."""
    assert xapi.get_statements(version=version).status_code == 400


@pytest.mark.parametrize("version", ["1.0", "1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0.9"])
def test_versioning_any_1_0_x_accepted(xapi, version):
    """XAPI-00331: any 1.0 or 1.0.x version header is accepted."""
    assert xapi.get_statements(version=version).status_code == 200


def test_auth_unknown_credentials_is_401(xapi):
    """XAPI-00334: unknown Basic credentials are a 401."""
    bad = "Basic " + base64.b64encode(b"RobCIsNot:AUserOnThisLRS123").decode()
    data = statement()
    assert xapi.put_statement(data, auth=bad).status_code == 401
    assert xapi.get_statements(auth=bad, version="BAD").status_code in (400, 401)


def test_auth_wrong_secret_is_401(xapi, lrs_credential):
    """XAPI-00334: a known key with a wrong secret is a 401."""
    bad = "Basic " + base64.b64encode(f"{lrs_credential.key}:wrong".encode()).decode()
    assert xapi.get_statements(auth=bad).status_code == 401


def test_auth_malformed_header_is_401(xapi):
    """XAPI-00334: a malformed Authorization header is a 401."""
    bad = "Basic:" + base64.b64encode(b"RobCIsNot:AUserOnThisLRS").decode()
    assert xapi.put_statement(statement(), auth=bad).status_code == 401
    assert xapi.get_statements(auth=bad, version="BAD").status_code in (400, 401)


def test_auth_basic_supported(xapi):
    """XAPI-00335: HTTP Basic authentication works (PUT answers 204)."""
    assert xapi.put_statement(statement()).status_code == 204


# --- Alternate request syntax (Communication 1.3) ------------------------------------------


def _alternate(xapi, method, form, *, query=None, headers=True, content_type=FORM):
    params = {"method": method, **(query or {})}
    body = form if isinstance(form, bytes) else urlencode(form).encode()
    return xapi.client.post(
        f"/xapi/statements?{urlencode(params)}",
        body,
        content_type=content_type,
        headers=xapi.headers() if headers else {},
    )


def test_alternate_get_returns_statement_result(xapi):
    """XAPI-00148, XAPI-00336: POST ?method=GET with form parameters answers like a GET, with
    statements and more.
    """
    xapi.store(statement(), statement())
    response = _alternate(xapi, "GET", {"limit": 1})
    assert response.status_code == 200
    result = response.json()
    assert len(result["statements"]) == 1
    assert "more" in result


def test_alternate_put_issued_as_post(xapi):
    """XAPI-00336: POST ?method=PUT with statementId and content in the form answers 204."""
    data = statement()
    response = _alternate(xapi, "PUT", {"statementId": data["id"], "content": json.dumps(data)})
    assert response.status_code == 204
    assert xapi.fetch(data["id"])["id"] == data["id"]


def test_alternate_headers_in_form(xapi):
    """Communication 1.3.s3.b7: Authorization and X-Experience-API-Version may come as form
    parameters instead of headers.
    """
    data = statement()
    form = {
        "statementId": data["id"],
        "content": json.dumps(data),
        "X-Experience-API-Version": "1.0.3",
        "Authorization": xapi.headers()["Authorization"],
    }
    response = _alternate(xapi, "PUT", form, headers=False)
    assert response.status_code == 204


def test_alternate_form_version_is_checked(xapi):
    """Communication 1.3.s3.b7: a form X-Experience-API-Version of 0.8 is a 400 (here it also
    disagrees with the header), and nothing is stored.
    """
    data = statement()
    form = {
        "statementId": data["id"],
        "content": json.dumps(data),
        "X-Experience-API-Version": "0.8",
    }
    response = _alternate(xapi, "PUT", form)
    assert response.status_code == 400
    assert xapi.get_statements({"statementId": data["id"]}).status_code == 404


def test_alternate_form_version_alone_is_checked(xapi):
    """Communication 1.3.s3.b7: without the header, the form X-Experience-API-Version stands
    for it and is validated: 0.8 is a 400 and nothing is stored.
    """
    data = statement()
    form = {
        "statementId": data["id"],
        "content": json.dumps(data),
        "X-Experience-API-Version": "0.8",
        "Authorization": xapi.headers()["Authorization"],
    }
    response = _alternate(xapi, "PUT", form, headers=False)
    assert response.status_code == 400
    assert xapi.get_statements({"statementId": data["id"]}).status_code == 404


def test_alternate_not_issued_as_post_is_400(xapi):
    """XAPI-00336: the method parameter on anything but POST is a 400."""
    data = statement()
    response = xapi.request(
        "PUT",
        "statements",
        {"method": "POST"},
        urlencode({"content": json.dumps(data)}).encode(),
        content_type=FORM,
    )
    assert response.status_code == 400


def test_alternate_extra_query_parameters_are_400(xapi):
    """Communication 1.3.s3.b4: with method=, any other query-string parameter is a 400."""
    data = statement()
    form = {"statementId": data["id"], "content": json.dumps(data)}
    response = _alternate(xapi, "PUT", form, query={"statementId": data["id"]})
    assert response.status_code == 400


def test_alternate_put_without_content_is_400(xapi):
    """Communication 1.3.s3.b4: method=PUT without a content form parameter is a 400."""
    response = _alternate(xapi, "PUT", b"")
    assert response.status_code == 400


def test_alternate_body_not_url_encoded_is_400(xapi):
    """Communication 1.3.s3.b4: a form content type whose body is JSON, not form-encoded, is a
    400.
    """
    data = statement()
    body = json.dumps({"statementId": data["id"], "content": json.dumps(data)}).encode()
    response = _alternate(xapi, "PUT", body)
    assert response.status_code == 400


# --- HEAD (Communication 1.1) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "resource,params",
    [
        ("about", None),
        ("statements", None),
        ("activities", "activity"),
        ("activities/profile", "activity_profile"),
        ("activities/state", "state"),
        ("agents", "agent"),
        ("agents/profile", "agent_profile"),
    ],
)
def test_head_answers_like_get_without_body(xapi, resource, params):
    """XAPI-00125, XAPI-00126: HEAD is accepted wherever GET is and answers 200 with no body."""
    from .docs import activity_profile_params, agent_profile_params, post_doc, state_params

    data = statement()
    xapi.store(data)
    query = None
    if params == "activity":
        query = {"activityId": data["object"]["id"]}
    elif params == "agent":
        query = {"agent": data["actor"]}
    elif params is not None:
        builder = {
            "activity_profile": activity_profile_params,
            "agent_profile": agent_profile_params,
            "state": state_params,
        }[params]
        query = builder()
        assert post_doc(xapi, resource, query, {"a": 1}).status_code == 204
    response = xapi.request("HEAD", resource, query)
    assert response.status_code == 200
    assert response.content == b""
