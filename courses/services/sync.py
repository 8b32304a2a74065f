"""Bringing a table in line with records read from a file, in a few bulk queries."""

from dataclasses import dataclass
from pathlib import Path

from django.db import models

from .tabular import CsvRow, ImportSummary, changed_fields, check_fields

BATCH_SIZE = 500


@dataclass
class Record:
    """The values one item should have, and the file row they came from (for errors)."""

    values: dict
    path: Path
    row: CsvRow | None


def sync_by_code(
    model: type[models.Model],
    records: dict[str, Record],
    *,
    summary: ImportSummary,
    label: str,
) -> dict[str, int]:
    """Create or update rows of `model` so each record's values are stored; return code -> id.

    Rows are matched on `code`, then (for rows an editor created by hand under another code) on
    the case-insensitive name. Rows not in `records` are left in place and counted as a
    warning: people and courses may point at them.
    """
    existing = list(model.objects.all())
    by_code = {obj.code: obj for obj in existing}
    by_name = {obj.name.casefold(): obj for obj in existing}
    claimed: set[int] = set()
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    update_fields: set[str] = set()

    for code, record in records.items():
        values = {"code": code, **record.values}
        obj = by_code.get(code)
        if obj is None or obj.pk in claimed:
            candidate = by_name.get(values["name"].casefold())
            obj = candidate if candidate is not None and candidate.pk not in claimed else None
        if obj is None:
            obj = model(**values)
            check_fields(obj, path=record.path, row=record.row)
            to_create.append(obj)
            continue
        claimed.add(obj.pk)
        changed = changed_fields(obj, values)
        if changed:
            check_fields(obj, path=record.path, row=record.row)
            to_update.append(obj)
            update_fields.update(changed)
        else:
            summary.unchanged[label] += 1

    if to_update:
        model.objects.bulk_update(to_update, sorted(update_fields), batch_size=BATCH_SIZE)
    if to_create:
        model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    summary.updated[label] += len(to_update)
    summary.created[label] += len(to_create)

    stale = len(existing) - len(claimed)
    if stale:
        summary.warnings.append(
            f"{stale} {label} row(s) in the database are not in the source file; left in place."
        )
    return dict(model.objects.filter(code__in=records).values_list("code", "id"))
