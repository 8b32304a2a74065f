"""Attachments sent and returned as multipart/mixed, and signed statements.

xAPI 1.0.3 Communication 1.5.2 (multipart/mixed): the first part is the statement(s) as JSON;
each further part is one attachment's raw content with `X-Experience-API-Hash` (its SHA-2) and
`Content-Transfer-Encoding: binary`. Data 2.6 (signed statements): a signature attachment holds
a JWS whose payload is the statement as signed; the LRS checks it is well formed, uses an RS*
algorithm and matches the statement.
"""

import base64
import hashlib
import secrets

from django.core.files.storage import storages

from .services import AttachmentContent, statement_content_hash
from .validation import StatementValidationError
from .validation.jsontext import loads as json_loads

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
SIGNATURE_ALGORITHMS = {"RS256", "RS384", "RS512"}
R_MULTIPART = "xAPI 1.0.3 Communication 1.5.2: multipart/mixed"
R_SIGNED = "xAPI 1.0.3 Data 2.6: signed statements"
HASHES = {56: hashlib.sha224, 64: hashlib.sha256, 96: hashlib.sha384, 128: hashlib.sha512}


def _bad(message: str, prop: str = "attachments", rule: str = R_MULTIPART):
    raise StatementValidationError(message, prop, rule)


def _boundary(content_type: str) -> bytes:
    for piece in content_type.split(";")[1:]:
        name, _, value = piece.strip().partition("=")
        if name.strip().lower() == "boundary" and value:
            return value.strip().strip('"').encode()
    _bad("A multipart/mixed request needs a boundary parameter.", "Content-Type")


def _headers(block: bytes) -> dict:
    headers = {}
    for line in block.decode("utf-8", "replace").replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep:
            _bad(f"Malformed part header {line!r}.")
        headers[name.strip().lower()] = value.strip()
    return headers


def parse_multipart(body: bytes, content_type: str) -> tuple[bytes, list[tuple[dict, bytes]]]:
    """Split a multipart/mixed body into the JSON part and the attachment parts."""
    delimiter = b"--" + _boundary(content_type)
    chunks = body.split(delimiter)
    if len(chunks) < 3:
        _bad("The multipart body has no parts.")
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        # The rest of the delimiter line, then headers up to the first blank line. Bare LF
        # line ends are tolerated as well as CRLF.
        chunk = chunk[2:] if chunk.startswith(b"\r\n") else chunk.lstrip(b" \t\n")
        crlf, lf = chunk.find(b"\r\n\r\n"), chunk.find(b"\n\n")
        if crlf != -1 and (lf == -1 or crlf <= lf):
            head, content = chunk[:crlf], chunk[crlf + 4 :]
        elif lf != -1:
            head, content = chunk[:lf], chunk[lf + 2 :]
        else:
            head, content = chunk.rstrip(b"\r\n"), b""
        if content.endswith(b"\r\n"):
            content = content[:-2]
        elif content.endswith(b"\n"):
            content = content[:-1]
        parts.append((_headers(head), content))
    if not parts:
        _bad("The multipart body has no parts.")
    first_headers, first = parts[0]
    first_type = first_headers.get("content-type", "").split(";")[0].strip().lower()
    if first_type != "application/json":
        _bad("The first part of a multipart/mixed request must be application/json.")
    return first, parts[1:]


def attachment_contents(parts: list[tuple[dict, bytes]]) -> dict[str, AttachmentContent]:
    """The attachment parts by SHA-2, each checked against its content."""
    found = {}
    for headers, content in parts:
        sha2 = headers.get("x-experience-api-hash", "").lower()
        if not sha2:
            _bad("Every attachment part needs an X-Experience-API-Hash header.")
        if headers.get("content-transfer-encoding", "").lower() != "binary":
            _bad("Every attachment part needs Content-Transfer-Encoding: binary.")
        algorithm = HASHES.get(len(sha2))
        if algorithm is None or not secrets.compare_digest(algorithm(content).hexdigest(), sha2):
            _bad(f"The content of attachment part {sha2} does not match its SHA-2 hash.")
        found[sha2] = AttachmentContent(
            content_type=headers.get("content-type", "application/octet-stream"), content=content
        )
    return found


def check_parts_match(statements: list[dict], contents: dict[str, AttachmentContent]) -> None:
    """Every part is the content of an attachment declared in the statements."""
    declared = {
        str(item.get("sha2", "")).lower()
        for statement in statements
        if type(statement) is dict and type(statement.get("attachments")) is list
        for item in statement["attachments"]
        if type(item) is dict
    }
    for sha2 in contents:
        if sha2 not in declared:
            _bad(f"Attachment part {sha2} matches no attachment in the statements.")


def _b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def check_signatures(statements: list[dict], contents: dict[str, AttachmentContent]) -> None:
    """Data 2.6: each signature attachment is a JWS over this statement, with RS256/384/512."""
    for index, statement in enumerate(statements):
        for item in statement.get("attachments") or []:
            if item.get("usageType") != SIGNATURE_USAGE:
                continue
            prop = f"[{index}].attachments"
            if item.get("contentType") != "application/octet-stream":
                _bad(
                    "A signature attachment's contentType must be application/octet-stream.",
                    prop,
                    R_SIGNED,
                )
            part = contents.get(str(item.get("sha2", "")).lower())
            if part is None:
                _bad("The signature attachment's JWS was not sent.", prop, R_SIGNED)
            segments = part.content.decode("ascii", "replace").strip().split(".")
            if len(segments) != 3:
                _bad("The signature is not a JWS in compact serialisation.", prop, R_SIGNED)
            try:
                header = json_loads(_b64decode(segments[0]), prop)
                payload = json_loads(_b64decode(segments[1]), prop)
            except (ValueError, StatementValidationError):
                _bad("The signature's JWS header or payload is not base64url JSON.", prop, R_SIGNED)
            algorithm = header.get("alg") if type(header) is dict else None
            if type(algorithm) is not str or algorithm not in SIGNATURE_ALGORITHMS:
                _bad("The signature must use RS256, RS384 or RS512.", prop, R_SIGNED)
            if type(payload) is not dict or _signed_form(payload) != _signed_form(statement):
                _bad("The signed payload does not match the statement.", prop, R_SIGNED)


def _signed_form(statement: dict) -> str:
    without = {key: value for key, value in statement.items() if key != "attachments"}
    try:
        return statement_content_hash(without)
    except (AttributeError, KeyError, TypeError):
        return ""


def multipart_response(document: bytes, attachments: list) -> tuple[bytes, str]:
    """A multipart/mixed body: the JSON document, then each attachment's content."""
    boundary = secrets.token_hex(16)
    chunks = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        document,
        b"\r\n",
    ]
    for row in attachments:
        with storages["private"].open(row.file.name, "rb") as handle:
            content = handle.read()
        chunks.append(
            (
                f"--{boundary}\r\nContent-Type: {row.content_type}\r\n"
                f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {row.sha2}\r\n\r\n"
            ).encode()
        )
        chunks.append(content)
        chunks.append(b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f'multipart/mixed; boundary="{boundary}"'
