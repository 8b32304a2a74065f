"""The xAPI identifiers a learner's verified email addresses give them (see learners.identity)."""

from django.conf import settings
from django.db import models


class LearnerIdentifier(models.Model):
    """An `mbox` or `mbox_sha1sum` IFI of one of a learner's verified emails.

    The account IFI needs no row (it is the site plus `User.learner_id`). Kept in step with
    allauth's EmailAddress by `learner_identifiers_sync`; a row whose email was removed or
    unverified stays, inactive, so that `updated_at` tells the reporting job whose evidence to
    recompute. A hash cannot be reversed, so this table is how `mbox_sha1sum` finds its learner.
    """

    ifi = models.CharField(max_length=400, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="xapi_identifiers"
    )
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self):
        return self.ifi
