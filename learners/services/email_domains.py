"""Which email addresses may hold an account."""

from django.conf import settings

NOT_GOVERNMENT_EMAIL = (
    "Enter a government email address, like name@department.gov.uk. "
    "Personal email addresses cannot be used."
)


def email_domain_is_allowed(email: str) -> bool:
    """True when the address's domain is an allowlisted domain or a subdomain of one."""
    _, _, domain = (email or "").strip().lower().rpartition("@")
    if not domain:
        return False
    return any(
        domain == allowed or domain.endswith("." + allowed)
        for allowed in (d.strip().lower().lstrip(".") for d in settings.ALLOWED_EMAIL_DOMAINS)
    )
