from learners.privacy.models import PersonalDataAccess


def audit_record(*, actor, subject, action: str, detail: str = "") -> PersonalDataAccess:
    """Record that `actor` (None for a scheduled job) handled `subject`'s personal data."""
    return PersonalDataAccess.objects.create(
        actor=actor, subject=subject, action=action, detail=detail[:500]
    )
