"""Keeping a learner's xAPI identifiers in step with their verified email addresses."""

import logging

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from learners.identity import email_ifis
from learners.models import LearnerIdentifier

logger = logging.getLogger(__name__)


@transaction.atomic
def learner_identifiers_sync(*, user_id: int) -> bool:
    """Make the learner's active `mbox`/`mbox_sha1sum` identifiers those of their verified
    emails, and no others; True when anything changed. Safe to run any number of times.

    An identifier held by another learner stays theirs (verified emails are unique, so this
    only happens mid-change); an identifier of an email no longer verified goes inactive.
    """
    emails = EmailAddress.objects.filter(user_id=user_id, verified=True).values_list(
        "email", flat=True
    )
    wanted = {ifi for email in emails for ifi in email_ifis(email)}
    rows = {
        row.ifi: row
        for row in LearnerIdentifier.objects.select_for_update().filter(ifi__in=list(wanted))
    }
    changed = False
    for ifi in wanted:
        row = rows.get(ifi)
        if row is None:
            LearnerIdentifier.objects.create(ifi=ifi, user_id=user_id)
            changed = True
        elif row.user_id != user_id and row.active:
            logger.warning("xAPI identifier of user %s is held by user %s", user_id, row.user_id)
        elif row.user_id != user_id or not row.active:
            row.user_id, row.active = user_id, True
            row.save(update_fields=["user", "active", "updated_at"])
            changed = True
    stale = LearnerIdentifier.objects.filter(user_id=user_id, active=True).exclude(
        ifi__in=list(wanted)
    )
    changed = bool(stale.update(active=False, updated_at=timezone.now())) or changed
    return changed
