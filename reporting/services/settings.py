"""What HR leads set: skill targets and the department's real headcount; the access log."""

import csv
import io

from django.db import transaction

from courses.models import Skill
from learners.models import Grade, Organisation, Profile
from reporting.models import HeadcountRecord, ReportAccessLog, SkillTarget
from reporting.selectors.access import counted_organisation_ids

MAX_HEADCOUNT_UPLOAD_BYTES = 1024 * 1024
HEADCOUNT_COLUMNS = ("department", "grade", "headcount")


class HeadcountUploadError(ValueError):
    """A headcount file that cannot be used; `errors` lists every problem, with its row."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@transaction.atomic
def skill_target_set(
    *, organisation: Organisation, skill: Skill, level: int, target_percent: int, user
) -> SkillTarget:
    """Set (or change) the department's target for a skill."""
    target = SkillTarget.objects.filter(organisation=organisation, skill=skill).first()
    target = target or SkillTarget(organisation=organisation, skill=skill)
    target.level = level
    target.target_percent = target_percent
    target.set_by = user
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def skill_target_remove(*, organisation: Organisation, skill: Skill) -> None:
    """Remove the department's target for a skill, if there is one."""
    SkillTarget.objects.filter(organisation=organisation, skill=skill).delete()


def _parse_headcount(content: bytes, organisation: Organisation) -> dict[Grade, int]:
    errors = []
    if len(content) > MAX_HEADCOUNT_UPLOAD_BYTES:
        raise HeadcountUploadError(["The file must be smaller than 1 MB."])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HeadcountUploadError(["The file must be a CSV file saved as UTF-8."]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    if tuple(header) != HEADCOUNT_COLUMNS:
        raise HeadcountUploadError(
            ["The first row must be the column names: department,grade,headcount."]
        )
    grades = {g.code.lower(): g for g in Grade.objects.all()}
    grades.update({g.name.lower(): g for g in grades.values()})
    known_departments = {organisation.code.lower(), organisation.name.lower()}
    if organisation.abbreviation:
        known_departments.add(organisation.abbreviation.lower())
    result: dict[Grade, int] = {}
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue
        if row["department"].lower() not in known_departments:
            errors.append(
                f"Row {number}: department '{row['department']}' is not {organisation.name}."
            )
        grade = grades.get(row["grade"].lower())
        if grade is None:
            errors.append(f"Row {number}: '{row['grade']}' is not a civil service grade.")
        elif grade in result:
            errors.append(f"Row {number}: grade {grade.code} appears more than once.")
        if not row["headcount"].isdigit():
            errors.append(f"Row {number}: headcount must be a whole number, 0 or more.")
        elif grade is not None and grade not in result:
            result[grade] = int(row["headcount"])
    if not result and not errors:
        errors.append("The file has no rows of headcount.")
    if errors:
        raise HeadcountUploadError(errors)
    return result


def _missing_grades(rows: dict[Grade, int], organisation: Organisation) -> list[str]:
    """An error naming the grades the department's people on the service hold and the file
    leaves out: a partial upload would make those grades count nobody.
    """
    held = Grade.objects.filter(
        pk__in=Profile.objects.filter(
            organisation_id__in=counted_organisation_ids(organisation)
        ).values("grade_id")
    ).exclude(pk__in=[grade.pk for grade in rows])
    missing = [f"{grade.code} ({grade.name})" for grade in held.order_by("rank")]
    if not missing:
        return []
    return [
        f"The file has no row for {', '.join(missing)}: people in {organisation.name} hold "
        f"{'this grade' if len(missing) == 1 else 'these grades'}. Add a row for every grade, "
        "with 0 where the department has nobody at it."
    ]


@transaction.atomic
def headcount_upload(*, organisation: Organisation, content: bytes, user) -> int:
    """Replace the department's uploaded headcount with the CSV's rows (all or nothing).

    Columns: department (code, name or abbreviation), grade (code or name), headcount. The
    file must cover every grade the department's people on the service hold.
    Returns the number of grades stored.
    """
    rows = _parse_headcount(content, organisation)
    errors = _missing_grades(rows, organisation)
    if errors:
        raise HeadcountUploadError(errors)
    HeadcountRecord.objects.filter(organisation=organisation).delete()
    records = [
        HeadcountRecord(organisation=organisation, grade=grade, headcount=n, uploaded_by=user)
        for grade, n in rows.items()
    ]
    for record in records:
        record.full_clean()
    HeadcountRecord.objects.bulk_create(records)
    return len(records)


@transaction.atomic
def headcount_clear(*, organisation: Organisation) -> None:
    """Go back to counting the department's learners on the platform as its headcount."""
    HeadcountRecord.objects.filter(organisation=organisation).delete()


def report_access_log(*, user, organisation, action: str, path: str, parameters: dict) -> None:
    """Record a report view or export: who, what, when."""
    ReportAccessLog.objects.create(
        user=user if user.is_authenticated else None,
        organisation=organisation,
        action=action,
        path=path[:500],
        parameters=parameters,
    )
