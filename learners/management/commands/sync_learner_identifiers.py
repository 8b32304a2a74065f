"""Re-derive every learner's xAPI email identifiers from their verified emails.

Saving or deleting an email address keeps them in step on its own; this is for addresses
written around the ORM (a bulk load, a restore). Safe to run any number of times.
"""

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand

from learners.models import LearnerIdentifier
from learners.services.identity import learner_identifiers_sync


class Command(BaseCommand):
    help = "Bring the xAPI identifiers (mbox, mbox_sha1sum) in step with verified emails."

    def handle(self, *args, **options):
        users = set(EmailAddress.objects.values_list("user_id", flat=True))
        users.update(LearnerIdentifier.objects.values_list("user_id", flat=True))
        changed = sum(learner_identifiers_sync(user_id=user_id) for user_id in sorted(users))
        self.stdout.write(f"{changed} of {len(users)} learners' identifiers changed.")
