"""Who is calling the xAPI endpoints and what they may do (xAPI 1.0.3 Communication 4).

Three ways in:
- HTTP Basic with an `LRSClient` key and secret: the client's scopes apply.
- HTTP Basic with a launch token (`lrs_launch_token_for(user)`): browser content launched for a
  signed-in learner; it may write and read statements about that learner only, and their state.
- The learner's own session cookie (same-origin requests only): the same restriction.
"""

import base64
import binascii
import hashlib
import hmac
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError

from . import hooks
from .identity import agent_ifi
from .models.clients import LRSClient, Scope
from .voiding import VoidRight

LAUNCH_KEY = "launch"
LAUNCH_SALT = "learners.lrs.launch"
LAUNCH_MAX_AGE = 8 * 60 * 60
# What browser content launched for a learner may do; reads are limited to the learner.
LEARNER_SCOPES = frozenset(
    {Scope.STATEMENTS_WRITE, Scope.STATEMENTS_READ_MINE, Scope.STATE, Scope.PROFILE}
)
READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass
class LRSAuth:
    """The caller of an xAPI request: request.lrs_auth."""

    scopes: frozenset
    authority: dict
    client: LRSClient | None = None
    user: object = None
    # When set, the caller may only see and write statements whose actor has one of these IFIs.
    actor_restriction: frozenset[str] | None = None
    # Rules an authenticator attaches to these credentials (a cmi5 AU token's session, say):
    # `check_statements`, `statements_stored`, `check_document_write` and `document_read`.
    policy: object = None
    authority_ifi: str | None = field(default=None)

    def __post_init__(self):
        if isinstance(self.actor_restriction, str):  # one IFI: a set of one, never a substring
            self.actor_restriction = frozenset([self.actor_restriction])
        if self.authority_ifi is None:
            self.authority_ifi = agent_ifi(self.authority)

    def permits(self, scope: str, method: str = "GET") -> bool:
        """Whether the scopes allow `scope` for a request with this HTTP method."""
        scopes = self.scopes
        if Scope.ALL in scopes or scope in scopes:
            return True
        if method in READ_METHODS and Scope.ALL_READ in scopes:
            return True
        return scope == Scope.STATEMENTS_READ_MINE and Scope.STATEMENTS_READ in scopes

    @property
    def void_right(self) -> VoidRight:
        """What the caller may void (Data 2.3.2): a learner's session or launch token nothing,
        a client what it stored itself, or anything with the separate `void` scope.
        """
        if self.client is None:
            return VoidRight.NONE
        return VoidRight.ANY if self.client.may_void_any else VoidRight.OWN

    @property
    def reads_all_statements(self) -> bool:
        """True when GET /statements is not limited to this caller's own statements."""
        if self.actor_restriction:
            return False
        return bool(self.scopes & {Scope.ALL, Scope.ALL_READ, Scope.STATEMENTS_READ})


class AuthenticationFailed(Exception):
    """No valid credentials: 401, or 403 for credentials that were valid and are not any more
    (a browser shows a sign-in box for a 401 with a Basic challenge, which content cannot use).
    """

    def __init__(self, message: str, *, status: int = 401):
        super().__init__(message)
        self.status = status


def lrs_launch_token_for(user) -> str:
    """A short-lived signed token that launched content uses as Basic credentials
    (`launch:<token>`); it lets the content write and read statements about `user` only.
    """
    return signing.dumps({"l": str(user.learner_id)}, salt=LAUNCH_SALT, compress=True)


def lrs_launch_authorization(user) -> str:
    """The Authorization header value for a launch token."""
    raw = f"{LAUNCH_KEY}:{lrs_launch_token_for(user)}".encode()
    return "Basic " + base64.b64encode(raw).decode()


def _learner_auth(user) -> LRSAuth:
    agent, ifis = hooks.learner_identity(user)
    return LRSAuth(scopes=LEARNER_SCOPES, authority=agent, user=user, actor_restriction=ifis)


# Verified (client pk, secret hash, digest of the raw secret): a slow password hash per request
# would cap throughput at a few requests a second. The entry dies when the secret changes.
_verified: dict[tuple, bool] = {}
_verified_lock = threading.Lock()


def _secret_ok(client: LRSClient, raw: str) -> bool:
    digest = hashlib.sha256(raw.encode()).hexdigest()
    cache_key = (client.pk, client.secret_hash, digest)
    if cache_key in _verified:
        return True
    if not client.check_secret(raw):
        return False
    with _verified_lock:
        if len(_verified) > 1000:
            _verified.clear()
        _verified[cache_key] = True
    return True


def _basic_credentials(header: str) -> tuple[str, str]:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        raise AuthenticationFailed("Use HTTP Basic authentication with an LRS key and secret.")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise AuthenticationFailed("The Basic credentials are not valid base64.") from exc
    key, sep, secret = decoded.partition(":")
    if not sep:
        raise AuthenticationFailed("The Basic credentials must be key:secret.")
    return key, secret


def _same_origin(request) -> bool:
    origin = request.headers.get("Origin")
    if not origin:
        return True
    return hmac.compare_digest(origin, f"{request.scheme}://{request.get_host()}")


def authenticate(request, authorization: str | None) -> LRSAuth:
    """The caller of an xAPI request, or AuthenticationFailed.

    `authorization` is the Authorization header (or the form field of the alternate syntax).
    """
    if authorization:
        key, secret = _basic_credentials(authorization)
        if key == LAUNCH_KEY:
            return _launch_auth(secret)
        delegated = hooks.credentials_authenticate(key, secret)
        if delegated is not None:
            return delegated
        client = LRSClient.objects.filter(key=key).first()
        if client is None or not client.active or not _secret_ok(client, secret):
            raise AuthenticationFailed("The LRS key or secret is wrong, or the key is disabled.")
        return LRSAuth(
            scopes=frozenset(client.scopes or []),
            authority=client.authority_agent(settings.SITE_BASE_URL),
            client=client,
        )
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and _same_origin(request):
        return _learner_auth(user)
    raise AuthenticationFailed("Authentication is required: send HTTP Basic credentials.")


def _launch_auth(token: str) -> LRSAuth:
    try:
        payload = signing.loads(token, salt=LAUNCH_SALT, max_age=LAUNCH_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise AuthenticationFailed("The launch token has expired; relaunch the content.") from exc
    except signing.BadSignature as exc:
        raise AuthenticationFailed("The launch token is not valid.") from exc
    users = get_user_model().objects.filter(is_active=True)
    try:
        user = users.filter(learner_id=payload.get("l")).first()
    except ValidationError:
        user = None
    if user is None:
        raise AuthenticationFailed("The launch token's learner no longer exists.")
    return _learner_auth(user)
