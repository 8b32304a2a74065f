from django.core.management import BaseCommand

from reporting.services import coverage_rebuild, coverage_update


class Command(BaseCommand):
    help = "Recompute skills coverage from all statements (or --incremental: since the watermark)."

    def add_arguments(self, parser):
        parser.add_argument("--incremental", action="store_true")

    def handle(self, *args, incremental=False, **options):
        summary = coverage_update() if incremental else coverage_rebuild()
        if summary.skipped:
            self.stderr.write("Another coverage run holds the lock; nothing done.")
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"Coverage up to statement {summary.watermark}."))
