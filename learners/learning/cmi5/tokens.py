"""The fetch URL's one-time token and the AU token it hands out (cmi5 8.2).

Only SHA-256 digests are stored. The AU token is sent back as HTTP Basic credentials whose key
starts with `cmi5-`; the LRS asks this module about such keys through its credentials hook.
"""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from learners.lrs.auth import LEARNER_SCOPES, AuthenticationFailed, LRSAuth
from learners.lrs.identity import agent_ifi

from .ids import learner_actor
from .models import Cmi5Session, SessionState

KEY_PREFIX = "cmi5-"


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def fetch_token_new() -> tuple[str, str]:
    """A fetch token and its digest."""
    token = secrets.token_urlsafe(32)
    return token, digest(token)


class FetchError(Exception):
    """cmi5 8.2.3: error-code "1" (already used) or "2" (unknown), as strings."""

    def __init__(self, code: str, text: str):
        super().__init__(text)
        self.code = code
        self.text = text


@transaction.atomic
def fetch_redeem(token: str) -> str:
    """The AU token for a fetch token, once; FetchError after that or for an unknown one."""
    session = (
        Cmi5Session.objects.select_for_update().filter(fetch_token_digest=digest(token)).first()
    )
    if session is None:
        raise FetchError("2", "This fetch URL is not known.")
    if session.fetch_redeemed_at is not None or not session.is_open:
        raise FetchError("1", "This fetch URL has been used already.")
    key = KEY_PREFIX + secrets.token_hex(16)
    secret = secrets.token_urlsafe(32)
    session.fetch_redeemed_at = timezone.now()
    session.auth_key = key
    session.auth_secret_digest = digest(secret)
    session.save(update_fields=["fetch_redeemed_at", "auth_key", "auth_secret_digest"])
    return base64.b64encode(f"{key}:{secret}".encode()).decode()


def session_authority(session) -> dict:
    """The authority recorded on an AU's statements: the launch itself, an LMS account."""
    return {
        "objectType": "Agent",
        "account": {
            "homePage": settings.SITE_BASE_URL,
            "name": f"cmi5-session-{session.session_id}",
        },
    }


def au_token_authenticate(key: str, secret: str):
    """The LRS's view of an AU token: the learner's own statements and documents, under the
    session's rules; 403 once the session has ended. None for keys that are not AU tokens.
    """
    if not key.startswith(KEY_PREFIX):
        return None
    session = (
        Cmi5Session.objects.select_related("enrolment__user", "unit__package__course")
        .filter(auth_key=key)
        .first()
    )
    if session is None or not hmac.compare_digest(session.auth_secret_digest, digest(secret)):
        raise AuthenticationFailed("This AU token is not valid.", status=403)
    if session.state in (SessionState.TERMINATED, SessionState.ABANDONED):
        raise AuthenticationFailed(
            "This AU token's session has ended; the LMS must launch the AU again.", status=403
        )
    from .policy import SessionPolicy

    return LRSAuth(
        scopes=LEARNER_SCOPES,
        authority=session_authority(session),
        user=session.enrolment.user,
        actor_restriction=agent_ifi(learner_actor(session.enrolment.user)),
        policy=SessionPolicy(session),
    )
