"""Attachments (Communication 1.5, XAPI-00127..00135; Data 2.4.11) and signed statements
(Data 2.6, XAPI-00115..00117) of ADL's suite.
"""

import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from .xapi import (
    BOUNDARY,
    attachment_meta,
    attachment_part,
    multipart,
    sha2,
    statement,
)

pytestmark = pytest.mark.django_db

TEXT1 = b"here is a simple attachment"
TEXT2 = b"here is a simple attachment, number 2"
TEXT3 = b"here is a third attachment, not announced"
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"
MULTIPART = f"multipart/mixed; boundary={BOUNDARY}"


def _post_raw(xapi, body: bytes, content_type: str = MULTIPART):
    return xapi.request("POST", "statements", body=body, content_type=content_type)


def _stored(xapi, statement_id) -> bool:
    return xapi.get_statements({"statementId": statement_id}).status_code == 200


def test_attachments_file_url_as_json_accepted(xapi):
    """XAPI-00127: an attachment with only a fileUrl may be sent as application/json."""
    data = statement(attachments=[attachment_meta(TEXT1, fileUrl="http://over.there.com/file.txt")])
    assert xapi.post_statements(data).status_code == 200


def test_attachments_multipart_mixed_accepted(xapi):
    """XAPI-00127: raw attachment data sent as multipart/mixed is accepted and stored."""
    data = statement(attachments=[attachment_meta(TEXT1)])
    response = xapi.post_multipart(data, [attachment_part(TEXT1)])
    assert response.status_code == 200
    assert _stored(xapi, data["id"])


@pytest.mark.parametrize("with_part", [False, True], ids=["json-body", "multipart-body"])
def test_attachments_multipart_form_data_rejected(xapi, with_part):
    """XAPI-00127: a statement request with Content-Type multipart/form-data is a 400."""
    data = statement(attachments=[attachment_meta(TEXT1)])
    form_data = f"multipart/form-data; boundary={BOUNDARY}"
    body = multipart(data, [attachment_part(TEXT1)]) if with_part else json.dumps(data).encode()
    assert _post_raw(xapi, body, form_data).status_code == 400
    assert not _stored(xapi, data["id"])


def test_attachments_excess_part_rejected(xapi):
    """XAPI-00128: a part that no attachment of the statements announces is a 400."""
    data = statement(attachments=[attachment_meta(TEXT1), attachment_meta(TEXT2)])
    parts = [attachment_part(TEXT1), attachment_part(TEXT2), attachment_part(TEXT3)]
    assert xapi.post_multipart(data, parts).status_code == 400
    assert not _stored(xapi, data["id"])


def test_attachments_missing_part_rejected(xapi):
    """XAPI-00129: an attachment without fileUrl whose part is missing is a 400."""
    data = statement(attachments=[attachment_meta(TEXT1), attachment_meta(TEXT2)])
    assert xapi.post_multipart(data, [attachment_part(TEXT1)]).status_code == 400
    assert not _stored(xapi, data["id"])


def test_attachments_json_without_parts_rejected(xapi):
    """XAPI-00129: application/json with an attachment lacking fileUrl is a 400."""
    data = statement(attachments=[attachment_meta(TEXT1)])
    assert xapi.post_statements(data).status_code == 400


def test_attachments_no_boundary_in_body_rejected(xapi):
    """XAPI-00131: the body does not start with the boundary."""
    data = statement(attachments=[attachment_meta(TEXT1)])
    body = multipart(data, [attachment_part(TEXT1)])
    body = body.split(b"\r\n", 1)[1]
    assert _post_raw(xapi, body).status_code == 400


def test_attachments_no_boundary_in_header_rejected(xapi):
    """XAPI-00131: the Content-Type header has no boundary."""
    data = statement(attachments=[attachment_meta(TEXT1)])
    body = multipart(data, [attachment_part(TEXT1)])
    assert _post_raw(xapi, body, "multipart/mixed;").status_code == 400


def test_attachments_missing_boundary_between_parts_rejected(xapi):
    """XAPI-00130: no boundary before the second part's Content-Type header."""
    data = statement(attachments=[attachment_meta(TEXT1)])
    body = multipart(data, [attachment_part(TEXT1)])
    marker = b"\r\n--" + BOUNDARY.encode() + b"\r\nContent-Type: text/plain"
    assert marker in body
    body = body.replace(marker, b"\r\nContent-Type: text/plain", 1)
    assert _post_raw(xapi, body).status_code == 400


def test_attachments_first_part_not_json_rejected(xapi):
    """XAPI-00134: the first part's Content-Type must be application/json."""
    data = statement(attachments=[attachment_meta(TEXT1)])
    body = multipart(data, [attachment_part(TEXT1)], first_type="text/plain")
    assert _post_raw(xapi, body).status_code == 400


def test_attachments_statements_split_over_parts_rejected(xapi):
    """XAPI-00133: all statements must be in the first part."""
    data = statement(attachments=[attachment_meta(TEXT1)])
    json_part = (json.dumps(data).encode(), {"Content-Type": "application/json"})
    body = multipart(data, [json_part, attachment_part(TEXT1)])
    assert _post_raw(xapi, body).status_code == 400


@pytest.mark.parametrize(
    "hash_header",
    [None, "b018994f8bbe0f08992a65c48c8c8c56f09e9baceaa6227ed85c90ae52b73c89"],
    ids=["missing", "not-a-sha2-of-the-statement"],
)
def test_attachments_part_hash_header_checked(xapi, hash_header):
    """XAPI-00132: each attachment part needs X-Experience-API-Hash equal to a sha2 of the
    statements.
    """
    data = statement(attachments=[attachment_meta(TEXT1)])
    content, headers = attachment_part(TEXT1)
    if hash_header is None:
        headers.pop("X-Experience-API-Hash")
    else:
        headers["X-Experience-API-Hash"] = hash_header
    assert xapi.post_multipart(data, [(content, headers)]).status_code == 400
    assert not _stored(xapi, data["id"])


def test_attachments_content_not_matching_sha2_rejected(xapi):
    """Data 2.4.11 / Communication 1.5.2: a part whose bytes do not hash to its sha2 is a 400."""
    data = statement(attachments=[attachment_meta(TEXT1)])
    part = attachment_part(b"different bytes", hash_value=sha2(TEXT1))
    assert xapi.post_multipart(data, [part]).status_code == 400


def test_attachments_transfer_encoding_must_be_binary(xapi):
    """XAPI-00135: Content-Transfer-Encoding other than binary is a 400."""
    data = statement(attachments=[attachment_meta(TEXT1)])
    part = attachment_part(TEXT1, **{"Content-Transfer-Encoding": "base64"})
    assert xapi.post_multipart(data, [part]).status_code == 400


@pytest.mark.parametrize("missing", ["usageType", "display", "contentType", "length", "sha2"])
def test_attachments_required_properties(xapi, missing):
    """Data 2.4.11: usageType, display, contentType, length and sha2 are required."""
    meta = attachment_meta(TEXT1, fileUrl="http://over.there.com/file.txt")
    del meta[missing]
    assert xapi.post_statements(statement(attachments=[meta])).status_code == 400


# --- Signed statements (Data 2.6) ----------------------------------------------------------


@pytest.fixture(scope="module")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _signed_body(
    data, key, *, algorithm="RS256", content_type="application/octet-stream", jws=None
):
    token = jws if jws is not None else jwt.encode(data, key, algorithm=algorithm)
    token_bytes = token.encode() if isinstance(token, str) else token
    meta = {
        "usageType": SIGNATURE,
        "display": {"en-US": "Signature"},
        "contentType": content_type,
        "length": len(token_bytes),
        "sha2": sha2(token_bytes),
    }
    signed = {**data, "attachments": [meta]}
    part = attachment_part(token_bytes, **{"Content-Type": content_type})
    return multipart(signed, [part])


@pytest.mark.parametrize("algorithm", ["RS256", "RS384", "RS512"])
def test_signed_statement_accepted(xapi, rsa_key, algorithm):
    """XAPI-00117: a statement signed with RS256, RS384 or RS512 is accepted and stored."""
    data = statement()
    assert _post_raw(xapi, _signed_body(data, rsa_key, algorithm=algorithm)).status_code == 200
    assert _stored(xapi, data["id"])


def test_signed_statement_other_algorithm_rejected(xapi, rsa_key):
    """XAPI-00117: a JWS with HS256 is a 400."""
    data = statement()
    token = jwt.encode(data, "a-shared-secret-long-enough-for-hs256!", algorithm="HS256")
    assert _post_raw(xapi, _signed_body(data, rsa_key, jws=token)).status_code == 400
    assert not _stored(xapi, data["id"])


def test_signed_statement_bad_content_type_rejected(xapi, rsa_key):
    """XAPI-00115: a signature attachment whose contentType is not application/octet-stream."""
    data = statement()
    body = _signed_body(data, rsa_key, content_type="text/plain; charset=ascii")
    assert _post_raw(xapi, body).status_code == 400


def test_signed_statement_not_a_jws_rejected(xapi, rsa_key):
    """XAPI-00115, XAPI-00116: a signature that is not a well-formed JWS is a 400."""
    data = statement()
    token = jwt.encode(data, rsa_key, algorithm="RS256")
    header, payload, signature = token.split(".")
    broken = f"{header}.{payload[:-4]}!!!!.{signature}"
    assert _post_raw(xapi, _signed_body(data, rsa_key, jws=broken)).status_code == 400


def test_signed_statement_payload_must_match(xapi, rsa_key):
    """XAPI-00116: the JWS payload must be the statement as sent (less the signature)."""
    data = statement()
    other = {**data, "verb": {"id": "http://example.com/verbs/other"}}
    token = jwt.encode(other, rsa_key, algorithm="RS256")
    assert _post_raw(xapi, _signed_body(data, rsa_key, jws=token)).status_code == 400
    assert not _stored(xapi, data["id"])
