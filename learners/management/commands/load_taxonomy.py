"""Load the reference taxonomy (DDaT framework, organisations, grades, professions) from data/."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction

from courses.services import DataFileError, ImportSummary, framework_import
from learners.services.reference_data import (
    grades_import,
    organisations_import,
    professions_import,
)

# Paths inside the data directory; data/SOURCES.md says where each file comes from.
FILES = {
    "skills": "ddat/ddat_skills_az.csv",
    "roles_skills": "ddat/ddat_roles_skills.csv",
    "organisations": "organisations/govuk_organisations.csv",
    "grades": "civil_service/grades.csv",
    "professions": "civil_service/professions_csrs.csv",
}


class Command(BaseCommand):
    help = (
        "Load the DDaT capability framework, GOV.UK organisations, civil service grades and "
        "professions from CSV files. Idempotent; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=Path(settings.BASE_DIR) / "data",
            help="Folder holding the source files (default: the project's data/).",
        )

    def handle(self, *args, data_dir: Path, verbosity: int, **options):
        paths = {key: data_dir / name for key, name in FILES.items()}
        missing = [str(path) for path in paths.values() if not path.is_file()]
        if missing:
            raise CommandError(f"Source file(s) not found: {', '.join(missing)}")

        started = time.perf_counter()
        summary = ImportSummary()
        try:
            with transaction.atomic():
                summary.merge(
                    framework_import(
                        roles_skills_path=paths["roles_skills"], skills_path=paths["skills"]
                    )
                )
                summary.merge(organisations_import(path=paths["organisations"]))
                summary.merge(grades_import(path=paths["grades"]))
                summary.merge(professions_import(path=paths["professions"]))
        except DataFileError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        except IntegrityError as error:
            # E.g. an editor gave a hand-made row a name the file now gives to another item.
            raise CommandError(
                f"Nothing was loaded. The files clash with rows already in the database: {error}"
            ) from error
        elapsed = time.perf_counter() - started

        for line in summary.lines():
            self.stdout.write(line)
        # Each warning is printed: a count alone leaves nothing to act on.
        for warning in summary.warnings:
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        self.stdout.write(self.style.SUCCESS(f"Taxonomy loaded from {data_dir} in {elapsed:.1f}s."))
