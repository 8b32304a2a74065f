"""Loading the DDaT capability framework from its two published CSV files.

`ddat_skills_az.csv` gives each skill with its description at the four levels;
`ddat_roles_skills.csv` has one row per role x role level x required skill.

How the published data's quirks are treated:

- **'NOT IN USE'.** The four senior civil service chief roles (chief data officer, chief
  technology officer, chief digital and information officer, chief information security officer)
  each have one role level named 'NOT IN USE', whose description and every skill level are
  'NOT IN USE'. The skills are listed, but at no level. We keep the role level, named
  "<role> (not in use)" with `in_use=False`, and create **no requirement** for those rows (a
  requirement must have one of the four levels); they are counted as skipped. A 'NOT IN USE'
  skill level on any other role level is skipped the same way.
- **Placeholders.** 'MISSING' and 'NOT IN USE' in description cells are stored as empty text.
  Skills' descriptions come from the A to Z file; the roles file repeats them (or says MISSING).
- **Whitespace and case.** Names are trimmed and inner runs of whitespace collapsed (one role
  level is published as 'End user computing engineer '). Items are keyed by the slug of the name,
  so names differing only in case or spacing are one item; the first spelling wins.
- **Multi-line descriptions** keep their lines (line endings normalised, trailing spaces cut).
- **Repeated rows.** A role level listing the same skill twice at the same level (the data
  analyst and business analyst roles do) gives one requirement; at different levels it is an
  error, since we cannot tell which is meant.
- **Role level names repeated across roles** are qualified with the role, "<level> (<role>)",
  because role level names are unique.
- **Skills in the roles file but not in the A to Z file** are created from what the roles file
  says about them, with a warning.

The files are the truth for what they contain: values are updated, and a loaded role level's
requirements become exactly those in the file. Rows not in the files are left in place.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from courses.models import Role, RoleFamily, RoleLevel, RoleLevelSkill, Skill, SkillLevel

from .sync import BATCH_SIZE, Record, sync_by_code
from .tabular import (
    CsvRow,
    DataFileError,
    ImportSummary,
    clean_name,
    clean_text,
    code_for,
    read_csv,
    row_error,
)

NOT_IN_USE = "NOT IN USE"

SKILLS_COLUMNS = [
    "Skill Name",
    "Skill Description",
    "Awareness",
    "Working",
    "Practitioner",
    "Expert",
]
ROLES_SKILLS_COLUMNS = [
    "Role Family",
    "Role",
    "Role Description",
    "Role Level",
    "Role Level Description",
    "Skill Name",
    "Skill Description",
    "Skill Level",
    "Skill Level Description",
    "Role Type",
]
LEVEL_FIELDS = {level: f"{level.label.lower()}_description" for level in SkillLevel}


@dataclass
class _RoleLevelDraft:
    role_code: str
    level_name: str
    placeholder: bool
    record: Record


@dataclass
class _Framework:
    """Everything read from the roles file, keyed by code."""

    families: dict[str, Record] = field(default_factory=dict)
    roles: dict[str, Record] = field(default_factory=dict)
    role_families: dict[str, str] = field(default_factory=dict)
    levels: dict[tuple[str, str], _RoleLevelDraft] = field(default_factory=dict)
    # (role code, level key, skill code) -> (level, level description, row)
    requirements: dict[tuple[str, str, str], tuple[int, str, CsvRow]] = field(default_factory=dict)


@transaction.atomic
def framework_import(*, roles_skills_path: Path, skills_path: Path) -> ImportSummary:
    """Load role families, roles, role levels, skills and requirements from the DDaT CSVs.

    Idempotent: a second run with the same files changes nothing. A bad file raises
    DataFileError (naming the file and row) before anything is written, and the transaction
    rolls back anything already written by the caller's enclosing transaction.
    """
    summary = ImportSummary()
    skills = _read_skills(Path(skills_path), summary)
    framework = _read_roles_skills(Path(roles_skills_path), skills, summary)

    skill_ids = sync_by_code(Skill, skills, summary=summary, label="skills")
    family_ids = sync_by_code(
        RoleFamily, framework.families, summary=summary, label="role families"
    )
    for code, record in framework.roles.items():
        record.values["family_id"] = family_ids[framework.role_families[code]]
    role_ids = sync_by_code(Role, framework.roles, summary=summary, label="roles")

    level_records, level_codes = _name_role_levels(framework, role_ids)
    level_ids = sync_by_code(RoleLevel, level_records, summary=summary, label="role levels")

    wanted = {
        (level_ids[level_codes[(role_code, level_key)]], skill_ids[skill_code]): (level, text)
        for (role_code, level_key, skill_code), (level, text, _) in framework.requirements.items()
    }
    _sync_requirements(wanted, role_level_ids=set(level_ids.values()), summary=summary)
    return summary


def _read_skills(path: Path, summary: ImportSummary) -> dict[str, Record]:
    skills: dict[str, Record] = {}
    for row in read_csv(path, required_columns=SKILLS_COLUMNS):
        name = clean_name(row["Skill Name"])
        if not name:
            raise row_error(path, row, "Skill Name is empty")
        values = {
            "name": name,
            "description": clean_text(row["Skill Description"]),
            **{
                field_name: clean_text(row[level.label])
                for level, field_name in LEVEL_FIELDS.items()
            },
        }
        code = code_for(name)
        if not code:
            raise row_error(path, row, f"Skill Name {name!r} has no letters or digits")
        if code in skills:
            first = skills[code]
            if {**first.values, "name": ""} != {**values, "name": ""}:
                raise row_error(
                    path,
                    row,
                    f"skill {name!r} is also row {first.row.number} ({first.values['name']!r}) "
                    "with different descriptions",
                )
            summary.warnings.append(
                f"{path.name}: row {row.number} repeats skill {first.values['name']!r}; ignored."
            )
            continue
        skills[code] = Record(values=values, path=path, row=row)
    return skills


def _read_roles_skills(path: Path, skills: dict[str, Record], summary: ImportSummary) -> _Framework:
    framework = _Framework()
    added_skills: set[str] = set()
    for row in read_csv(path, required_columns=ROLES_SKILLS_COLUMNS):
        family_name = clean_name(row["Role Family"])
        role_name = clean_name(row["Role"])
        level_name = clean_name(row["Role Level"])
        skill_name = clean_name(row["Skill Name"])
        for column, value in (
            ("Role Family", family_name),
            ("Role", role_name),
            ("Role Level", level_name),
            ("Skill Name", skill_name),
        ):
            if not code_for(value):
                raise row_error(path, row, f"{column} is empty")

        family_code = code_for(family_name, max_length=100)
        framework.families.setdefault(
            family_code, Record(values={"name": family_name}, path=path, row=row)
        )

        role_code = code_for(role_name, max_length=100)
        known_family = framework.role_families.setdefault(role_code, family_code)
        if known_family != family_code:
            raise row_error(
                path,
                row,
                f"role {role_name!r} is in family {family_name!r} here but in "
                f"{framework.families[known_family].values['name']!r} on an earlier row",
            )
        role = framework.roles.setdefault(
            role_code,
            Record(values={"name": role_name, "description": ""}, path=path, row=row),
        )
        role.values["description"] = role.values["description"] or clean_text(
            row["Role Description"]
        )

        placeholder = level_name.upper() == NOT_IN_USE
        level_key = code_for(level_name)
        draft = framework.levels.get((role_code, level_key))
        if draft is None:
            draft = framework.levels[(role_code, level_key)] = _RoleLevelDraft(
                role_code=role_code,
                level_name=level_name,
                placeholder=placeholder,
                record=Record(
                    values={"description": "", "role_type": "", "in_use": not placeholder},
                    path=path,
                    row=row,
                ),
            )
        level_values = draft.record.values
        level_values["description"] = level_values["description"] or clean_text(
            row["Role Level Description"]
        )
        level_values["role_type"] = level_values["role_type"] or clean_name(row["Role Type"])

        skill_code = code_for(skill_name)
        if skill_code not in skills:
            skills[skill_code] = Record(
                values={
                    "name": skill_name,
                    "description": clean_text(row["Skill Description"]),
                    **dict.fromkeys(LEVEL_FIELDS.values(), ""),
                },
                path=path,
                row=row,
            )
            added_skills.add(skill_code)
            summary.warnings.append(
                f"{path.name}: row {row.number} names skill {skill_name!r}, which is not in the "
                "skills A to Z file; created from this file."
            )

        level_label = clean_name(row["Skill Level"])
        if level_label.upper() == NOT_IN_USE:
            summary.skipped["requirements ('NOT IN USE' level)"] += 1
            continue
        level = SkillLevel.from_label(level_label)
        if level is None:
            raise row_error(
                path,
                row,
                f"Skill Level {level_label!r} is not one of Awareness, Working, Practitioner, "
                f"Expert or {NOT_IN_USE!r}",
            )
        level_text = clean_text(row["Skill Level Description"])
        if skill_code in added_skills:
            skill_values = skills[skill_code].values
            field_name = LEVEL_FIELDS[level]
            skill_values[field_name] = skill_values[field_name] or level_text

        key = (role_code, level_key, skill_code)
        earlier = framework.requirements.get(key)
        if earlier is not None:
            if earlier[0] != level:
                raise row_error(
                    path,
                    row,
                    f"{level_name!r} requires {skill_name!r} at {level.label} here but at "
                    f"{SkillLevel(earlier[0]).label} on row {earlier[2].number}",
                )
            summary.skipped["requirements (repeated row)"] += 1
            continue
        framework.requirements[key] = (level, level_text, row)
    return framework


def _name_role_levels(
    framework: _Framework, role_ids: dict[str, int]
) -> tuple[dict[str, Record], dict[tuple[str, str], str]]:
    """Give each role level a unique name and code; return records and (role, level) -> code."""
    roles_per_level_name: dict[str, set[str]] = {}
    for role_code, level_key in framework.levels:
        roles_per_level_name.setdefault(level_key, set()).add(role_code)

    records: dict[str, Record] = {}
    codes: dict[tuple[str, str], str] = {}
    for (role_code, level_key), draft in framework.levels.items():
        role_name = framework.roles[role_code].values["name"]
        if draft.placeholder:
            name = f"{role_name} (not in use)"
        elif len(roles_per_level_name[level_key]) > 1:
            name = f"{draft.level_name} ({role_name})"
        else:
            name = draft.level_name
        code = code_for(name)
        if code in records:
            raise row_error(
                draft.record.path,
                draft.record.row,
                f"role level {name!r} clashes with role level "
                f"{records[code].values['name']!r} (same code {code!r})",
            )
        draft.record.values.update(name=name, role_id=role_ids[role_code])
        records[code] = draft.record
        codes[(role_code, level_key)] = code
    return records, codes


def _sync_requirements(
    wanted: dict[tuple[int, int], tuple[int, str]],
    *,
    role_level_ids: set[int],
    summary: ImportSummary,
) -> None:
    """Make the loaded role levels' requirements exactly `wanted`, in bulk."""
    label = "requirements"
    existing = {
        (req.role_level_id, req.skill_id): req
        for req in RoleLevelSkill.objects.filter(role_level_id__in=role_level_ids)
    }
    to_create, to_update = [], []
    for key, (level, text) in wanted.items():
        req = existing.pop(key, None)
        if req is None:
            to_create.append(
                RoleLevelSkill(
                    role_level_id=key[0], skill_id=key[1], level=level, level_description=text
                )
            )
        elif (req.level, req.level_description) != (level, text):
            req.level, req.level_description = level, text
            to_update.append(req)
        else:
            summary.unchanged[label] += 1
    if existing:
        RoleLevelSkill.objects.filter(pk__in=[req.pk for req in existing.values()]).delete()
    if to_update:
        RoleLevelSkill.objects.bulk_update(
            to_update, ["level", "level_description"], batch_size=BATCH_SIZE
        )
    if to_create:
        RoleLevelSkill.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    summary.created[label] += len(to_create)
    summary.updated[label] += len(to_update)
    summary.deleted[label] += len(existing)


__all__ = ["DataFileError", "ImportSummary", "framework_import"]
