"""Which email addresses may hold an account, and what a plain address is.

Every place an address enters (sign-up, adding or changing one, single sign-on, team
invitations) calls `email_normalise` first, so the allowlist and uniqueness checks only ever
see one spelling of one mailbox.
"""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError

NOT_GOVERNMENT_EMAIL = (
    "Enter a government email address, like name@department.gov.uk. "
    "Personal email addresses cannot be used."
)
EMAIL_FORMAT = "Enter an email address in the correct format, like name@department.gov.uk"
EMAIL_QUOTED = "Enter an email address without quotation marks, like name@department.gov.uk"
EMAIL_PERCENT = "Enter an email address without a % sign, like name@department.gov.uk"
EMAIL_SPACES = "Enter an email address without spaces, like name@department.gov.uk"
EMAIL_INVISIBLE = (
    "Your email address contains a hidden character. Type it in rather than pasting it"
)
EMAIL_LOOKALIKE = (
    "Enter an email address using only the letters a to z, numbers and . _ - + ' characters"
)

# RFC 5322 dot-atom characters, less `%` (old source routing). Letters a to z only: a
# government mailbox never needs more, and look-alike letters are how one address poses as
# another.
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$&'*+/=?^_`{|}~-]+)*")
_DOMAIN = re.compile(r"([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
# Unicode categories that draw nothing: format (zero-width space, joiners, direction marks),
# control, unassigned and private use characters.
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Cn", "Co", "Cs"}


def email_normalise(email: str) -> str:
    """The plain form of an address (NFKC, lower-case domain), or ValidationError saying why not.

    Refused: a quoted local part, `%`, spaces, invisible characters, and any character that is
    not plain ASCII (including those NFKC would turn into ASCII, such as the Kelvin sign, which
    would otherwise let `name@gov.u\u212a` pass as `name@gov.uk`).
    """
    email = (email or "").strip()
    if any(unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in email):
        raise ValidationError(EMAIL_INVISIBLE, code="email_invisible")
    if any(char.isspace() for char in email):
        raise ValidationError(EMAIL_SPACES, code="email_spaces")
    if '"' in email:
        raise ValidationError(EMAIL_QUOTED, code="email_quoted")
    if "%" in email:
        raise ValidationError(EMAIL_PERCENT, code="email_percent")
    normalised = unicodedata.normalize("NFKC", email)
    if normalised != email or not normalised.isascii():
        raise ValidationError(EMAIL_LOOKALIKE, code="email_lookalike")
    local, at, domain = normalised.rpartition("@")
    domain = domain.lower()
    if not at or not _LOCAL_PART.fullmatch(local) or not _DOMAIN.fullmatch(domain):
        raise ValidationError(EMAIL_FORMAT, code="email_format")
    if len(local) > 64 or len(domain) > 253:
        raise ValidationError(EMAIL_FORMAT, code="email_format")
    return f"{local}@{domain}"


def email_domain_is_allowed(email: str) -> bool:
    """True when the address is plain and its domain is an allowlisted domain or a subdomain."""
    try:
        email = email_normalise(email)
    except ValidationError:
        return False
    domain = email.rpartition("@")[2]
    return any(
        domain == allowed or domain.endswith("." + allowed)
        for allowed in (d.strip().lower().lstrip(".") for d in settings.ALLOWED_EMAIL_DOMAINS)
    )


def validate_plain_email(value: str) -> None:
    """Form validator: the address is plain (see `email_normalise`), with its clear message."""
    email_normalise(value)
