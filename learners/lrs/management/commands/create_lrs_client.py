"""Create xAPI credentials: prints {"endpoint", "key", "secret"} as JSON (the secret only once)."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from learners.lrs.models import Scope
from learners.lrs.services import lrs_client_create

DEFAULT_SCOPES = [Scope.STATEMENTS_WRITE, Scope.STATEMENTS_READ_MINE]


class Command(BaseCommand):
    help = "Create an LRS client (HTTP Basic key and secret) and print its credentials as JSON."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument(
            "--scope",
            action="append",
            choices=Scope.values,
            help="A scope to grant; repeat for several. Default: statements/write and "
            "statements/read/mine.",
        )

    def handle(self, *args, name, scope, **options):
        try:
            client, secret = lrs_client_create(name=name, scopes=scope or DEFAULT_SCOPES)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        endpoint = f"{settings.SITE_BASE_URL}/xapi/"
        self.stdout.write(json.dumps({"endpoint": endpoint, "key": client.key, "secret": secret}))
