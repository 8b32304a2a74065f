"""A thin xAPI client over Django's test client, and the statement shapes the conformance
requirements are phrased in (written for these tests; the requirement ids are ADL's).
"""

import copy
import hashlib
import json
import uuid
from urllib.parse import urlencode

from tests.factories.lrs import basic_auth

BASE = "/xapi"
BOUNDARY = "conformance-boundary-2f1e"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def new_id() -> str:
    return str(uuid.uuid4())


def mbox_agent(name: str | None = None) -> dict:
    return {"objectType": "Agent", "mbox": f"mailto:{name or new_id()}@example.org"}


def verb(key: str = "attended") -> dict:
    return {
        "id": f"http://adlnet.gov/expapi/verbs/{key}",
        "display": {"en-GB": key, "en-US": key},
    }


def activity(key: str | None = None, *, full: bool = False) -> dict:
    found = {"objectType": "Activity", "id": f"http://www.example.com/meetings/{key or new_id()}"}
    if full:
        found["definition"] = {
            "name": {"en-GB": "example meeting", "en-US": "example meeting"},
            "description": {"en-GB": "a meeting", "en-US": "a meeting"},
            "type": "http://adlnet.gov/expapi/activities/meeting",
            "moreInfo": "http://www.example.com/more",
            "extensions": {"http://example.com/ext": {"a": 1}},
        }
    return found


def statement(**overrides) -> dict:
    """A valid statement with a fresh id; keyword arguments replace top-level properties."""
    data = {
        "id": new_id(),
        "actor": mbox_agent(),
        "verb": verb(),
        "object": activity(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def context_statement() -> dict:
    """A statement with registration, an instructor and a category context activity."""
    return statement(
        object=activity(full=True),
        context={
            "registration": new_id(),
            "instructor": mbox_agent(),
            "contextActivities": {"category": [activity(full=True)]},
        },
    )


def voiding(target_id: str, **overrides) -> dict:
    return statement(
        verb={"id": VOIDED, "display": {"en-US": "voided"}},
        object={"objectType": "StatementRef", "id": target_id},
        **overrides,
    )


def substatement(**overrides) -> dict:
    sub = {
        "objectType": "SubStatement",
        "actor": mbox_agent(),
        "verb": verb("reported"),
        "object": activity(full=True),
    }
    sub.update(overrides)
    return sub


def sha2(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def attachment_meta(content: bytes, **overrides) -> dict:
    meta = {
        "usageType": "http://example.com/attachment-usage/test",
        "display": {"en-US": "A test attachment"},
        "description": {"en-US": "A test attachment (description)"},
        "contentType": "text/plain",
        "length": len(content),
        "sha2": sha2(content),
    }
    meta.update(overrides)
    return meta


def multipart(
    body,
    parts: list[tuple[bytes, dict]],
    *,
    first_type: str = "application/json",
    boundary: str = BOUNDARY,
) -> bytes:
    """A multipart/mixed request body: the statement(s) first, then one part per attachment.

    Each part is (content, headers); pass the X-Experience-API-Hash header yourself.
    """
    crlf = b"\r\n"
    out = b"--" + boundary.encode() + crlf
    out += f"Content-Type: {first_type}".encode() + crlf + crlf
    out += (body if isinstance(body, bytes) else json.dumps(body).encode()) + crlf
    for content, headers in parts:
        out += b"--" + boundary.encode() + crlf
        for name, value in headers.items():
            out += f"{name}: {value}".encode() + crlf
        out += crlf + content + crlf
    out += b"--" + boundary.encode() + b"--" + crlf
    return out


def attachment_part(content: bytes, *, hash_value: str | None = None, **headers) -> tuple:
    found = {
        "Content-Type": "text/plain",
        "Content-Transfer-Encoding": "binary",
        "X-Experience-API-Hash": hash_value if hash_value is not None else sha2(content),
    }
    found.update(headers)
    return content, {k: v for k, v in found.items() if v is not None}


def multipart_parts(response) -> list[tuple[dict, bytes]]:
    """Split a multipart/mixed response into (headers, body) pairs."""
    content_type = response["Content-Type"]
    assert content_type.startswith("multipart/mixed"), content_type
    boundary = content_type.split("boundary=", 1)[1].split(";")[0].strip().strip('"')
    raw = response.content
    chunks = raw.split(b"--" + boundary.encode())
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n")
        head, _, body = chunk.partition(b"\r\n\r\n")
        headers = {}
        for line in head.decode().split("\r\n"):
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        parts.append((headers, body))
    return parts


class XAPI:
    """Requests to /xapi/ with a Basic credential and X-Experience-API-Version: 1.0.3."""

    def __init__(self, client, credential):
        self.client = client
        self.credential = credential

    def headers(self, *, version="1.0.3", auth=True, **extra) -> dict:
        found = {}
        if version is not None:
            found["X-Experience-API-Version"] = version
        if auth is True:
            found["Authorization"] = basic_auth(self.credential)
        elif auth:
            found["Authorization"] = auth
        found.update(extra)
        return found

    def request(
        self,
        method: str,
        resource: str,
        params: dict | None = None,
        body=None,
        *,
        content_type: str | None = "application/json",
        version="1.0.3",
        auth=True,
        headers: dict | None = None,
    ):
        path = f"{BASE}/{resource}"
        if params:
            encoded = {
                key: json.dumps(value) if isinstance(value, dict | list) else value
                for key, value in params.items()
            }
            encoded = {
                key: ("true" if value is True else "false" if value is False else value)
                for key, value in encoded.items()
            }
            path += "?" + urlencode(encoded)
        if body is None:
            data = b""
        elif isinstance(body, bytes):
            data = body
        elif isinstance(body, str):
            data = body.encode()
        else:
            data = json.dumps(body).encode()
        kwargs = {}
        if content_type is not None and (data or method in ("POST", "PUT")):
            kwargs["content_type"] = content_type
        return self.client.generic(
            method,
            path,
            data,
            headers=self.headers(version=version, auth=auth, **(headers or {})),
            **kwargs,
        )

    # statements --------------------------------------------------------------------------
    def post_statements(self, data, **kwargs):
        return self.request("POST", "statements", body=data, **kwargs)

    def put_statement(self, data, statement_id=None, **kwargs):
        sid = statement_id if statement_id is not None else data["id"]
        return self.request("PUT", "statements", {"statementId": sid}, body=data, **kwargs)

    def get_statements(self, params=None, **kwargs):
        return self.request("GET", "statements", params, **kwargs)

    def store(self, *statements) -> list[str]:
        """POST statements that must be accepted; returns their ids."""
        response = self.post_statements(list(statements))
        assert response.status_code == 200, response.content
        return response.json()

    def fetch(self, statement_id, **params) -> dict:
        response = self.get_statements({"statementId": statement_id, **params})
        assert response.status_code == 200, response.content
        return response.json()

    def post_multipart(self, body, parts, *, boundary=BOUNDARY, **kwargs):
        return self.request(
            "POST",
            "statements",
            body=multipart(body, parts, boundary=boundary),
            content_type=f"multipart/mixed; boundary={boundary}",
            **kwargs,
        )


def clone(data):
    return copy.deepcopy(data)
