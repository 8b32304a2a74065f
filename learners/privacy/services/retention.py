"""Retention: delete what has been kept long enough, nightly (Celery beat), with counts logged.

The numbers of days are settings (PRIVACY_RETENTION_DAYS); each app applies its own kinds in
`personal_data.apply_retention(now=...)`, and this module applies the cross-cutting ones:
inactive accounts are erased, expired downloads deleted, old audit rows removed.
"""

import logging
from datetime import timedelta

from django.db.models import Q

from learners.models import User
from learners.privacy.models import PersonalDataAccess
from learners.privacy.register import app_registers, retention_days

from .access import sar_expire
from .audit import audit_record
from .erasure import person_erase

logger = logging.getLogger(__name__)


def _inactive_accounts_erase(*, now) -> int:
    cutoff = now - timedelta(days=retention_days("account"))
    inactive = User.objects.filter(is_active=True, is_superuser=False).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )
    erased = 0
    for user_id in inactive.values_list("pk", flat=True):
        person_erase(user_id=user_id, reason=f"Not signed in for {retention_days('account')} days")
        erased += 1
    return erased


def retention_apply(*, now) -> dict[str, int]:
    """Apply every retention rule as at `now`; return and log what was removed, by kind."""
    counts = {
        "inactive_accounts_erased": _inactive_accounts_erase(now=now),
        "subject_access_files_deleted": sar_expire(now=now),
        "audit_rows_deleted": PersonalDataAccess.objects.filter(
            at__lt=now - timedelta(days=retention_days("audit"))
        ).delete()[0],
    }
    for register in app_registers():
        apply = getattr(register.module, "apply_retention", None)
        if apply is not None:
            for kind, count in apply(now=now).items():
                counts[f"{register.app}.{kind}"] = count
    logger.info("retention applied: %s", counts)
    audit_record(
        actor=None,
        subject=None,
        action=PersonalDataAccess.Action.RETENTION,
        detail=", ".join(f"{kind} {count}" for kind, count in counts.items()),
    )
    return counts
