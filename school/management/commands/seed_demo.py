"""Build the demo: page tree, courses, challenges and one account per persona. Idempotent."""

from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.db import transaction

from challenges import demo as challenges_demo
from courses import demo as courses_demo
from courses.models import Skill
from learners import demo as learners_demo
from reporting import demo as reporting_demo

DEBUG_DEFAULT_PASSWORD = "school-demo-password"  # noqa: S105 - printed, debug only


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo site, content and persona accounts."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password for every demo account.")

    def handle(self, *args, password=None, **options):
        if password is None:
            if not settings.DEBUG:
                self.stderr.write("Give --password: there is no default outside DEBUG.")
                raise SystemExit(2)
            password = DEBUG_DEFAULT_PASSWORD
        if not Skill.objects.exists():
            call_command("load_taxonomy", verbosity=0)
        with transaction.atomic():
            courses_demo.seed_curriculum()
            people = learners_demo.seed_people(password=password)
            challenges_demo.seed_challenges(people=people)
            learners_demo.seed_learning(people=people)
            reporting_demo.seed_coverage(people=people)
        self.stdout.write(self.style.SUCCESS("Demo ready. Sign in at /accounts/login/ as:"))
        for email in sorted(person.email for person in people.values()):
            self.stdout.write(f"  {email}")
        if password == DEBUG_DEFAULT_PASSWORD:
            self.stdout.write(f"Password for every demo account: {password}")
