"""Loading civil service reference data: GOV.UK organisations, grades and professions.

Each import is idempotent (a second run with the same file writes nothing), reads and checks the
whole file before writing, and raises DataFileError naming the file and row on bad input.

Quirks of the published data and how they are treated:

- Organisation names and abbreviations carry stray whitespace (23 titles end in a space, one
  abbreviation in a tab): names are trimmed and inner whitespace collapsed.
- An abbreviation that only repeats the name is dropped, so that "Name (Name)" is never shown.
- A successor or parent slug that is not in the file ('wales-office') is skipped with a warning.
- Parent links are taken from both sides: GOV.UK lists a few children (Ofcom, the ICO) under a
  department whose own entry does not name it as parent, so a link either side states counts.
- Professions form a tree by parent name; an unknown parent or a cycle is an error.
"""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import transaction

from courses.services.sync import BATCH_SIZE, Record, sync_by_code
from courses.services.tabular import (
    CsvRow,
    DataFileError,
    ImportSummary,
    changed_fields,
    clean_name,
    code_for,
    read_csv,
    row_error,
)
from learners.models import Grade, Organisation, Profession

ORGANISATION_COLUMNS = [
    "slug",
    "title",
    "abbreviation",
    "format",
    "govuk_status",
    "govuk_closed_status",
    "closed_at",
    "analytics_identifier",
    "parent_slugs",
    "child_slugs",
    "superseding_slugs",
    "web_url",
]
GRADE_COLUMNS = ["rank", "code", "name", "csrs_code", "statistics_responsibility_level"]
PROFESSION_COLUMNS = ["name", "parent_name"]


@dataclass
class _OrganisationRow:
    code: str
    record: Record
    parents: list[str]
    children: list[str]
    successors: list[str]


def _slugs(value: str) -> list[str]:
    return [slug for slug in (part.strip() for part in (value or "").split(";")) if slug]


def _read_organisations(path: Path) -> dict[str, _OrganisationRow]:
    """Parse and check the organisations file; return rows keyed by slug."""
    statuses = set(Organisation.Status.values)
    by_slug: dict[str, _OrganisationRow] = {}
    seen_codes: dict[str, CsvRow] = {}
    seen_names: dict[str, CsvRow] = {}
    for row in read_csv(path, required_columns=ORGANISATION_COLUMNS):
        slug = row["slug"].strip()
        code = row["analytics_identifier"].strip()
        name = clean_name(row["title"])
        for column, value in (("slug", slug), ("analytics_identifier", code), ("title", name)):
            if not value:
                raise row_error(path, row, f"{column} is empty")
        for seen, key, what in (
            (seen_codes, code, f"analytics_identifier {code!r}"),
            (seen_names, name.casefold(), f"title {name!r}"),
        ):
            if key in seen:
                raise row_error(path, row, f"{what} is also on row {seen[key].number}")
            seen[key] = row
        if slug in by_slug:
            raise row_error(
                path, row, f"slug {slug!r} is also on row {by_slug[slug].record.row.number}"
            )
        status = row["govuk_status"].strip()
        if status not in statuses:
            raise row_error(
                path, row, f"govuk_status {status!r} is not one of {', '.join(sorted(statuses))}"
            )
        closed_at = None
        if row["closed_at"].strip():
            try:
                closed_at = datetime.fromisoformat(row["closed_at"].strip())
            except ValueError:
                raise row_error(
                    path, row, f"closed_at {row['closed_at']!r} is not an ISO 8601 date and time"
                ) from None
            if closed_at.tzinfo is None:
                raise row_error(path, row, f"closed_at {row['closed_at']!r} has no time zone")
        abbreviation = clean_name(row["abbreviation"])
        if abbreviation.casefold() == name.casefold():
            abbreviation = ""
        values = {
            "name": name,
            "slug": slug,
            "abbreviation": abbreviation,
            "format": clean_name(row["format"]),
            "status": status,
            "closed_status": clean_name(row["govuk_closed_status"]),
            "closed_at": closed_at,
            "web_url": row["web_url"].strip(),
        }
        by_slug[slug] = _OrganisationRow(
            code=code,
            record=Record(values=values, path=path, row=row),
            parents=_slugs(row["parent_slugs"]),
            children=_slugs(row["child_slugs"]),
            successors=_slugs(row["superseding_slugs"]),
        )
    return by_slug


@transaction.atomic
def organisations_import(*, path: Path) -> ImportSummary:
    """Load organisations, their parent links and successors from the GOV.UK organisations CSV.

    Organisations are keyed by their GOV.UK analytics identifier (`code`). For the organisations
    in the file, parent and successor links become exactly those the file states.
    """
    path = Path(path)
    summary = ImportSummary()
    by_slug = _read_organisations(path)
    records = {row.code: row.record for row in by_slug.values()}
    ids_by_code = sync_by_code(Organisation, records, summary=summary, label="organisations")
    id_by_slug = {slug: ids_by_code[row.code] for slug, row in by_slug.items()}

    parent_links: set[tuple[int, int]] = set()
    successor_links: set[tuple[int, int]] = set()
    for slug, row in by_slug.items():
        own_id = id_by_slug[slug]
        for kind, targets in (("parent", row.parents), ("successor", row.successors)):
            for target in targets:
                target_id = id_by_slug.get(target)
                if target_id is None:
                    summary.warnings.append(
                        f"{path.name}: row {row.record.row.number} ({slug}) names {kind} "
                        f"{target!r}, which is not in the file; skipped."
                    )
                elif target_id == own_id:
                    raise row_error(path, row.record.row, f"{slug!r} names itself as its {kind}")
                elif kind == "parent":
                    parent_links.add((own_id, target_id))
                else:
                    successor_links.add((own_id, target_id))
        for child in row.children:
            child_id = id_by_slug.get(child)
            if child_id is None:
                summary.warnings.append(
                    f"{path.name}: row {row.record.row.number} ({slug}) names child {child!r}, "
                    "which is not in the file; skipped."
                )
            elif child_id != own_id:
                parent_links.add((child_id, own_id))

    loaded = set(id_by_slug.values())
    _sync_links(Organisation.parents.through, parent_links, loaded, summary, "parent links")
    _sync_links(
        Organisation.superseded_by.through, successor_links, loaded, summary, "successor links"
    )
    return summary


def _sync_links(through, wanted: set[tuple[int, int]], loaded: set[int], summary, label) -> None:
    """Make the self-referencing M2M rows from the loaded organisations exactly `wanted`."""
    existing = {
        (from_id, to_id): pk
        for pk, from_id, to_id in through.objects.filter(
            from_organisation_id__in=loaded
        ).values_list("pk", "from_organisation_id", "to_organisation_id")
    }
    stale = [pk for key, pk in existing.items() if key not in wanted]
    missing = [key for key in wanted if key not in existing]
    if stale:
        through.objects.filter(pk__in=stale).delete()
    through.objects.bulk_create(
        [through(from_organisation_id=a, to_organisation_id=b) for a, b in sorted(missing)],
        batch_size=BATCH_SIZE,
    )
    summary.created[label] += len(missing)
    summary.deleted[label] += len(stale)
    summary.unchanged[label] += len(existing) - len(stale)


@transaction.atomic
def grades_import(*, path: Path) -> ImportSummary:
    """Load civil service grades (code, name, rank, CSRS code, responsibility level).

    Ranks are unique, so when ranks move (a grade inserted in the middle) the changed rows are
    first parked above every rank in use, then given their final ranks.
    """
    path = Path(path)
    summary = ImportSummary()
    records: dict[str, Record] = {}
    ranks: dict[int, CsvRow] = {}
    names: dict[str, CsvRow] = {}
    for row in read_csv(path, required_columns=GRADE_COLUMNS):
        code = clean_name(row["code"])
        name = clean_name(row["name"])
        if not code or not name:
            raise row_error(path, row, "code and name must not be empty")
        try:
            rank = int(row["rank"].strip())
        except ValueError:
            raise row_error(path, row, f"rank {row['rank']!r} is not a whole number") from None
        if rank < 1:
            raise row_error(path, row, f"rank {rank} must be 1 or more")
        for seen, key, what in (
            (ranks, rank, f"rank {rank}"),
            (names, name.casefold(), f"name {name!r}"),
        ):
            if key in seen:
                raise row_error(path, row, f"{what} is also on row {seen[key].number}")
            seen[key] = row
        if code in records:
            raise row_error(path, row, f"code {code!r} is also on row {records[code].row.number}")
        records[code] = Record(
            values={
                "name": name,
                "rank": rank,
                "csrs_code": clean_name(row["csrs_code"]),
                "responsibility_level": clean_name(row["statistics_responsibility_level"]),
            },
            path=path,
            row=row,
        )

    _park_moved_ranks(records)
    sync_by_code(Grade, records, summary=summary, label="grades")
    return summary


def _park_moved_ranks(records: dict[str, Record]) -> None:
    """Move grades whose rank will change out of the way, so no two rows ever share a rank."""
    current = {grade.code: grade for grade in Grade.objects.all()}
    moving = [
        grade
        for code, grade in current.items()
        if code in records and grade.rank != records[code].values["rank"]
    ]
    if not moving:
        return
    wanted = {record.values["rank"] for record in records.values()}
    free = max([*wanted, *(grade.rank for grade in current.values())]) + 1
    for offset, grade in enumerate(moving):
        grade.rank = free + offset
    Grade.objects.bulk_update(moving, ["rank"])
    # Also rows not in the file that sit on a rank the file now uses would clash: say so.
    clash = [g for g in current.values() if g.code not in records and g.rank in wanted]
    if clash:
        record = next(r for r in records.values() if r.values["rank"] == clash[0].rank)
        raise row_error(
            record.path,
            record.row,
            f"rank {clash[0].rank} is held by grade {clash[0].code!r}, which is not in the file",
        )


@transaction.atomic
def professions_import(*, path: Path) -> ImportSummary:
    """Load the civil service professions tree (each row names its parent by name)."""
    path = Path(path)
    summary = ImportSummary()
    records: dict[str, Record] = {}
    parent_names: dict[str, str] = {}
    for row in read_csv(path, required_columns=PROFESSION_COLUMNS):
        name = clean_name(row["name"])
        code = code_for(name)
        if not code:
            raise row_error(path, row, "name is empty")
        if code in records:
            raise row_error(
                path,
                row,
                f"profession {name!r} is also on row {records[code].row.number} "
                f"({records[code].values['name']!r})",
            )
        records[code] = Record(values={"name": name}, path=path, row=row)
        parent_names[code] = clean_name(row["parent_name"])

    parent_codes: dict[str, str | None] = {}
    for code, parent_name in parent_names.items():
        if not parent_name:
            parent_codes[code] = None
            continue
        parent_code = code_for(parent_name)
        if parent_code not in records:
            raise row_error(
                path, records[code].row, f"parent_name {parent_name!r} is not a profession here"
            )
        parent_codes[code] = parent_code
    for code in records:
        seen, cursor = {code}, parent_codes[code]
        while cursor is not None:
            if cursor in seen:
                raise row_error(path, records[code].row, "parent_name makes a cycle")
            seen.add(cursor)
            cursor = parent_codes[cursor]

    ids = sync_by_code(Profession, records, summary=summary, label="professions")
    to_update = []
    for profession in Profession.objects.filter(code__in=records):
        parent_code = parent_codes[profession.code]
        if changed_fields(profession, {"parent_id": ids[parent_code] if parent_code else None}):
            to_update.append(profession)
    Profession.objects.bulk_update(to_update, ["parent"])
    summary.updated["profession parents"] += len(to_update)
    summary.unchanged["profession parents"] += len(records) - len(to_update)
    return summary


__all__ = ["DataFileError", "grades_import", "organisations_import", "professions_import"]
