"""The HTTP layer shared by every xAPI endpoint (xAPI 1.0.3 Communication 1, 3 and 4).

`@xapi_endpoint(methods=..., scope=...)` wraps a view `view(request, **kwargs)` and handles:
- CORS, including the OPTIONS preflight, so browser content on other origins can call the LRS;
- the alternate request syntax (Communication 1.3): POST with `?method=PUT|GET|DELETE|POST`,
  the form body carrying the headers, the `content` and the resource parameters;
- the version header (Communication 3.3): required except on /about, 400 unless 1.0.x, and
  `X-Experience-API-Version: 1.0.3` on every response;
- authentication and scopes (Communication 4, see `learners.lrs.auth`);
- `X-Experience-API-Consistent-Through` (Communication 2.1.3) on every response;
- errors as JSON `{"error": {"message", "property", "rule"}}` with the right status
  (Communication 3.2).

Views read the request through `request.xapi` (an `XAPIRequest`) and `request.lrs_auth`.
"""

import functools
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import format_datetime
from urllib.parse import parse_qsl

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from .auth import AuthenticationFailed, authenticate
from .validation import StatementValidationError
from .validation.jsontext import R_NUL
from .validation.jsontext import loads as json_loads

logger = logging.getLogger(__name__)

XAPI_VERSION = "1.0.3"
VERSION_PATTERN = re.compile(r"^1\.0(\.\d+)?$")
ALLOWED_HEADERS = (
    "Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match, "
    "X-Requested-With, Accept-Language"
)
EXPOSED_HEADERS = (
    "ETag, Last-Modified, X-Experience-API-Consistent-Through, X-Experience-API-Version, "
    "Content-Type, Content-Length"
)
# Form fields of the alternate syntax that stand for headers (Communication 1.3).
FORM_HEADERS = {
    "authorization": "authorization",
    "x-experience-api-version": "x-experience-api-version",
    "content-type": "content-type",
    "content-length": "content-length",
    "if-match": "if-match",
    "if-none-match": "if-none-match",
}
ALTERNATE_METHODS = {"GET", "PUT", "POST", "DELETE"}


class XAPIError(Exception):
    """An error response: status, a message for people, and the property and rule at fault."""

    def __init__(
        self,
        status: int,
        message: str,
        property: str | None = None,  # noqa: A002 - the name the error body uses
        rule: str | None = None,
        headers: dict | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.property = property
        self.rule = rule
        self.headers = headers or {}

    def as_response(self) -> HttpResponse:
        body = {"error": {"message": self.message, "property": self.property, "rule": self.rule}}
        response = JsonResponse(body, status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


@dataclass
class XAPIRequest:
    """An xAPI request after the alternate syntax is unwrapped: what views should read."""

    method: str
    params: dict
    headers: dict  # lower-case names: the real headers, overlaid by alternate-syntax fields
    body: bytes
    alternate: bool = False
    head: bool = False  # a HEAD request: views answer as for GET, the layer drops the body
    received: object = field(default_factory=timezone.now)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def content_type_header(self) -> str:
        return self.headers.get("content-type", "")

    def header(self, name: str, default=None):
        return self.headers.get(name.lower(), default)

    def json_body(self, *, property: str = "content"):  # noqa: A002
        """The body parsed as strict JSON, or StatementValidationError (400) naming the rule."""
        return json_loads(self.body, property)


def http_date(value) -> str:
    return format_datetime(value.astimezone(UTC), usegmt=True)


def iso_timestamp(value) -> str:
    """ISO 8601 in UTC with microseconds and `Z`, as the LRS writes `stored`."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _cors(response: HttpResponse, request) -> HttpResponse:
    origin = request.headers.get("Origin")
    response["Access-Control-Allow-Origin"] = origin or "*"
    if origin:
        response["Vary"] = "Origin"
    response["Access-Control-Allow-Methods"] = "HEAD, GET, POST, PUT, DELETE, OPTIONS"
    response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    response["Access-Control-Max-Age"] = "86400"
    return response


def _finish(response: HttpResponse, request, received) -> HttpResponse:
    response["X-Experience-API-Version"] = XAPI_VERSION
    # Writes commit before the response is sent, so everything stored before the request
    # arrived is visible to queries (Communication 2.1.3).
    response.setdefault("X-Experience-API-Consistent-Through", iso_timestamp(received))
    return _cors(response, request)


def _unwrap(request, allowed: set[str]) -> XAPIRequest:
    """Build the XAPIRequest, applying the alternate request syntax when `?method=` is used."""
    headers = {name.lower(): value for name, value in request.headers.items()}
    query = dict(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True))
    _refuse_nul(query)
    if "method" not in query:
        method = request.method
        return XAPIRequest(
            method="GET" if method == "HEAD" else method,
            params=query,
            headers=headers,
            body=request.body,
            head=method == "HEAD",
        )
    if request.method != "POST":
        raise XAPIError(
            400,
            "The alternate request syntax must be sent as a POST.",
            "method",
            "xAPI 1.0.3 Communication 1.3",
        )
    if len(query) > 1:
        raise XAPIError(
            400,
            "With the alternate request syntax the query string may hold only 'method'; "
            "send every other parameter in the form body.",
            "method",
            "xAPI 1.0.3 Communication 1.3",
        )
    method = query["method"].upper()
    if method not in ALTERNATE_METHODS or method not in allowed:
        raise XAPIError(
            405 if method in ALTERNATE_METHODS else 400,
            f"The method {query['method']!r} is not allowed here.",
            "method",
            "xAPI 1.0.3 Communication 1.3",
        )
    if not headers.get("content-type", "").lower().startswith("application/x-www-form-urlencoded"):
        raise XAPIError(
            400,
            "The alternate request syntax needs Content-Type application/x-www-form-urlencoded.",
            "Content-Type",
            "xAPI 1.0.3 Communication 1.3",
        )
    try:
        form = dict(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError as exc:
        raise XAPIError(
            400, "The form body is not UTF-8.", "content", "xAPI 1.0.3 Communication 1.3"
        ) from exc
    params = {}
    body = b""
    inner_headers = {
        k: v for k, v in headers.items() if k not in ("content-type", "content-length")
    }
    for name, value in form.items():
        lower = name.lower()
        if lower in FORM_HEADERS:
            # The form fields stand for the headers (Content-Type and Content-Length describe
            # the form itself); a real header that says otherwise makes the request ambiguous.
            if (
                lower not in ("content-type", "content-length")
                and inner_headers.get(lower, value) != value
            ):
                raise XAPIError(
                    400,
                    f"The form field {name} disagrees with the {name} header.",
                    name,
                    "xAPI 1.0.3 Communication 1.3",
                )
            inner_headers[lower] = value
        elif name == "content":
            body = value.encode("utf-8")
        else:
            params[name] = value
    _refuse_nul(params)
    _refuse_nul(inner_headers)
    if body and "content-type" not in inner_headers:
        inner_headers["content-type"] = "application/json"
    return XAPIRequest(
        method=method, params=params, headers=inner_headers, body=body, alternate=True
    )


def _refuse_nul(values: dict) -> None:
    """Identifiers are stored as text, which cannot hold U+0000 on PostgreSQL."""
    for name, value in values.items():
        if "\x00" in name or "\x00" in value:
            raise XAPIError(400, f"The parameter {name!r} holds U+0000 (NUL).", name, R_NUL)


def _check_version(xreq: XAPIRequest) -> None:
    version = xreq.header("x-experience-api-version")
    if not version:
        raise XAPIError(
            400,
            "The X-Experience-API-Version header is required.",
            "X-Experience-API-Version",
            "xAPI 1.0.3 Communication 3.3",
        )
    if not VERSION_PATTERN.match(version.strip()):
        raise XAPIError(
            400,
            f"X-Experience-API-Version {version!r} is not supported; this LRS speaks 1.0.x.",
            "X-Experience-API-Version",
            "xAPI 1.0.3 Communication 3.3",
        )


def _required_scope(scope, method: str) -> str | None:
    if scope is None or isinstance(scope, str):
        return scope
    return scope.get(method) or (scope.get("GET") if method == "HEAD" else None)


def xapi_endpoint(*, methods, scope=None, auth_required: bool = True, version_required=True):
    """Decorate an xAPI view. `scope` is a scope name or a {method: scope} mapping."""
    allowed = {m.upper() for m in methods}

    def decorator(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            received = timezone.now()
            if request.method == "OPTIONS":
                response = HttpResponse(status=200)
                response["Allow"] = ", ".join(sorted(allowed | {"OPTIONS"}))
                return _finish(response, request, received)
            try:
                try:
                    xreq = _unwrap(request, allowed)
                except RequestDataTooBig as exc:
                    raise XAPIError(
                        413, "The request is too large.", None, "xAPI 1.0.3 Communication 3.2"
                    ) from exc
                xreq.received = received
                request.xapi = xreq
                if xreq.method not in allowed:
                    raise XAPIError(
                        405,
                        f"{xreq.method} is not allowed on this resource.",
                        "method",
                        "xAPI 1.0.3 Communication 2",
                        headers={"Allow": ", ".join(sorted(allowed | {"OPTIONS"}))},
                    )
                if auth_required:
                    try:
                        auth = authenticate(request, xreq.header("authorization"))
                    except AuthenticationFailed as exc:
                        challenge = {"WWW-Authenticate": 'Basic realm="xAPI"'}
                        raise XAPIError(
                            exc.status,
                            str(exc),
                            "Authorization",
                            "xAPI 1.0.3 Communication 4",
                            headers=challenge if exc.status == 401 else None,
                        ) from exc
                    request.lrs_auth = auth
                    needed = _required_scope(scope, xreq.method)
                    if needed and not auth.permits(needed, xreq.method):
                        raise XAPIError(
                            403,
                            f"These credentials do not have the '{needed}' scope needed to "
                            f"{xreq.method} this resource.",
                            "Authorization",
                            "xAPI 1.0.3 Communication 4.2",
                        )
                else:
                    request.lrs_auth = None
                if version_required:
                    _check_version(xreq)
                response = view(request, *args, **kwargs)
                if xreq.head:
                    length = len(response.content)
                    response.content = b""
                    response["Content-Length"] = str(length)
            except XAPIError as exc:
                response = exc.as_response()
            except StatementValidationError as exc:
                response = XAPIError(400, exc.message, exc.property, exc.rule).as_response()
            except Exception:
                # A bug, not bad input: logged with its traceback, answered in JSON like
                # every other xAPI response rather than with the site's HTML error page.
                logger.exception("xAPI %s %s failed", request.method, request.path)
                response = server_error_response()
            return _finish(response, request, received)

        return wrapper

    return decorator


def server_error_response() -> HttpResponse:
    return XAPIError(
        500, "The LRS failed to answer this request.", None, "xAPI 1.0.3 Communication 3.2"
    ).as_response()


@csrf_exempt
def not_found(request, path: str = ""):
    """Any /xapi/ path that is not a resource: 404 in JSON (Appendix B lists the resources)."""
    response = XAPIError(
        404,
        f"{request.path} is not an xAPI resource.",
        "path",
        "xAPI 1.0.3 Appendix B: table of all resources",
    ).as_response()
    return _finish(response, request, timezone.now())
