"""Reading reference-data CSV files, and the summary every import returns.

Shared by the framework import here and the civil service reference data import in learners
(which may import from courses: it is the floor below).
"""

import csv
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify

# Cells the published data uses to mean "nothing here".
PLACEHOLDERS = frozenset({"MISSING", "NOT IN USE"})


class DataFileError(ValueError):
    """A source file that cannot be loaded; names the file and, where known, the row."""

    def __init__(
        self, path: Path | str, message: str, *, row: int | None = None, line: int | None = None
    ):
        self.path = Path(path)
        self.row = row
        self.line = line
        self.message = message
        where = str(self.path)
        if row is not None:
            where += f", row {row}" + (f" (line {line})" if line is not None else "")
        super().__init__(f"{where}: {message}")


@dataclass
class ImportSummary:
    """What an import did, per model: rows created, updated, unchanged and deleted."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def merge(self, other: "ImportSummary") -> "ImportSummary":
        for name in ("created", "updated", "unchanged", "deleted", "skipped"):
            getattr(self, name).update(getattr(other, name))
        self.warnings.extend(other.warnings)
        return self

    @property
    def changed(self) -> int:
        """Rows written: zero when the data was already loaded."""
        return sum(self.created.values()) + sum(self.updated.values()) + sum(self.deleted.values())

    def lines(self) -> list[str]:
        """One line per model, in the order they were first counted, naming non-zero counts."""
        counters = {
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }
        names = dict.fromkeys(name for counter in counters.values() for name in counter)
        out = []
        for name in names:
            parts = [f"{c[name]} {word}" for word, c in counters.items() if c[name]]
            out.append(f"{name}: {', '.join(parts) or 'none'}")
        return out


@dataclass(frozen=True)
class CsvRow:
    """A data row with its position: `number` counts data rows from 1, `line` is where it starts."""

    number: int
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]


def read_csv(path: Path | str, *, required_columns: list[str]) -> Iterator[CsvRow]:
    """Yield the rows of a UTF-8 CSV file (BOM tolerated; quoted cells may hold newlines).

    Raises DataFileError if the file is missing, not UTF-8, lacks a required column or has a
    row with more cells than the header.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(path, "file not found")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            missing = [column for column in required_columns if column not in header]
            if missing:
                raise DataFileError(path, f"header lacks column(s): {', '.join(missing)}")
            reader.fieldnames = header
            previous_line = reader.line_num
            for number, values in enumerate(reader, start=1):
                start_line = previous_line + 1
                previous_line = reader.line_num
                if None in values:
                    raise DataFileError(
                        path, "more cells than the header has columns", row=number, line=start_line
                    )
                yield CsvRow(
                    number=number,
                    line=start_line,
                    values={key: value or "" for key, value in values.items()},
                )
    except UnicodeDecodeError as error:
        raise DataFileError(path, f"not UTF-8 text ({error.reason})") from error
    except csv.Error as error:
        raise DataFileError(path, f"malformed CSV: {error}") from error


def clean_name(value: str) -> str:
    """A name on one line: runs of whitespace (tabs, newlines, doubled spaces) become one space."""
    return " ".join((value or "").split())


def clean_text(value: str) -> str:
    """A description: line endings normalised, trailing spaces and placeholders removed.

    Multi-line text keeps its lines (the framework's bullet lists are lines starting '- ').
    """
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip()
    return "" if text.upper() in PLACEHOLDERS else text


def code_for(name: str, *, max_length: int = 150) -> str:
    """The stable code of a reference item: the slug of its name."""
    return slugify(clean_name(name))[:max_length].strip("-")


def check_fields(instance: models.Model, *, path: Path, row: CsvRow | None) -> None:
    """Validate field values (lengths, choices, URLs); uniqueness and links are the loader's job.

    The loader checks uniqueness in memory across the whole file and sets foreign keys to ids it
    has just read, which saves two queries per row.
    """
    relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
    try:
        instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        details = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
        raise row_error(path, row, details) from error


def row_error(path: Path, row: CsvRow | None, message: str) -> DataFileError:
    """A DataFileError pointing at `row` (its data row number and starting line)."""
    if row is None:
        return DataFileError(path, message)
    return DataFileError(path, message, row=row.number, line=row.line)


def changed_fields(instance: models.Model, values: dict) -> list[str]:
    """Set `values` on `instance`; return the names of the fields whose value changed."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed
