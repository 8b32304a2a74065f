"""CSV and XLSX exports of exactly what the coverage page shows (same protected figures)."""

import csv
import io

from openpyxl import Workbook

from courses.models import SkillLevel

from .disclosure import SUPPRESSED

ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."


def _percent(value):
    if value in (SUPPRESSED, ""):
        return value
    percent = round(value * 100, 1)
    return int(percent) if percent.is_integer() else percent


def coverage_table(rows, *, caption: str) -> tuple[list[str], list[list]]:
    """Header and rows shared by both formats."""
    header = ["Skill", "Headcount"]
    for level in SkillLevel:
        header += [level.label, f"{level.label} (% of headcount)"]
    header += [
        "Not evidenced",
        "Not evidenced (% of headcount)",
        "Target level",
        "Target (%)",
        "At or above target level",
        "At or above target level (%)",
        "Gap (points)",
        "Status",
    ]
    body = []
    for row in rows:
        line = [row.skill.name, row.headcount]
        for count, proportion in row.levels:
            line += [count, _percent(proportion)]
        line += [row.not_evidenced[0], _percent(row.not_evidenced[1])]
        if row.target:
            line += [
                row.target.get_level_display(),
                row.target.target_percent,
                row.achieved,
                _percent(row.achieved_share),
                row.gap_points,
                row.rag,
            ]
        else:
            line += ["", "", "", "", "", ""]
        body.append(line)
    return header, body


def coverage_csv(rows, *, caption: str) -> bytes:
    header, body = coverage_table(rows, caption=caption)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([caption])
    writer.writerow(
        [f"{SUPPRESSED} = fewer than the disclosure threshold, or hidden to protect it"]
    )
    writer.writerow(header)
    writer.writerows(body)
    writer.writerow([ATTRIBUTION])
    return out.getvalue().encode("utf-8-sig")


def coverage_xlsx(rows, *, caption: str) -> bytes:
    header, body = coverage_table(rows, caption=caption)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Skills coverage"
    sheet.append([caption])
    sheet.append([f"{SUPPRESSED} = fewer than the disclosure threshold, or hidden to protect it"])
    sheet.append(header)
    for line in body:
        sheet.append(line)
    sheet.append([ATTRIBUTION])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
