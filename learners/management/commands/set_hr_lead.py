"""Make someone HR lead for one or more departments, or for none."""

from django.core.management import BaseCommand, CommandError

from learners.models import Organisation, User
from learners.services.profiles import profile_hr_lead_set


class Command(BaseCommand):
    help = (
        "Make a person HR lead for exactly the given departments (GOV.UK analytics codes, "
        "like D2). With no codes, they stop being an HR lead."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("codes", nargs="*", help="Organisation codes, e.g. D2 D6")

    def handle(self, *args, email, codes, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account uses {email}.")
        organisations = list(Organisation.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {organisation.code for organisation in organisations})
        if unknown:
            raise CommandError(f"Unknown organisation codes: {', '.join(unknown)}")
        profile_hr_lead_set(user=user, organisations=organisations)
        names = ", ".join(str(organisation) for organisation in organisations) or "no department"
        self.stdout.write(f"{user.email} is HR lead for {names}.")
