"""CSV and XLSX exports of exactly what the pages show: the same protected cells, read as they
are, for the department's skills and for the analyst's comparison.
"""

import csv
import io

from openpyxl import Workbook

from courses.models import SkillLevel

from .disclosure import SUPPRESSED

ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."
KEY = f"{SUPPRESSED} = fewer than the disclosure threshold, or hidden to protect it"
# The one sentence every page and export carries where figures may not add up.
ROUNDING_NOTE = (
    "Each figure is rounded on its own, so grades or professions may not add up to the whole "
    "department, and shares are worked out from the rounded figures."
)


def percent(value):
    """A share as a percentage with one decimal place, as the files show it."""
    if value in (SUPPRESSED, ""):
        return value
    result = round(value * 100, 1)
    return int(result) if result.is_integer() else result


def level_heading(level: SkillLevel) -> str:
    """A level as a column heading: Working or above; the top level is just its name."""
    return level.label if level == max(SkillLevel) else f"{level.label} or above"


def coverage_table(rows) -> tuple[list[str], list[list]]:
    """Header and rows shared by both formats."""
    header = ["Skill", "Headcount"]
    for level in SkillLevel:
        header += [level_heading(level), f"{level_heading(level)} (% of headcount)"]
    header += [
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
            line += [count, percent(proportion)]
        if row.target:
            line += [
                row.target.get_level_display(),
                row.target.target_percent,
                row.achieved,
                percent(row.achieved_share),
                row.gap_points,
                row.rag,
            ]
        else:
            line += ["", "", "", "", "", ""]
        body.append(line)
    return header, body


def comparison_caption(*, skill, level: int) -> str:
    return f"Skills coverage by department: {skill.name}, {level_heading(SkillLevel(level))}"


def comparison_table(rows) -> tuple[list[str], list[list]]:
    header = ["Department", "Headcount", "People at or above the level", "Share (%)"]
    body = [
        [row.department.name, row.headcount, row.at_or_above, percent(row.share)] for row in rows
    ]
    return header, body


def _csv(caption: str, header: list, body: list) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in ([caption], [KEY], [ROUNDING_NOTE], header, *body, [ATTRIBUTION]):
        writer.writerow(line)
    return out.getvalue().encode("utf-8-sig")


def _xlsx(title: str, caption: str, header: list, body: list) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for line in ([caption], [KEY], [ROUNDING_NOTE], header, *body, [ATTRIBUTION]):
        sheet.append(line)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def coverage_csv(rows, *, caption: str) -> bytes:
    return _csv(caption, *coverage_table(rows))


def coverage_xlsx(rows, *, caption: str) -> bytes:
    return _xlsx("Skills coverage", caption, *coverage_table(rows))


def comparison_csv(rows, *, caption: str) -> bytes:
    return _csv(caption, *comparison_table(rows))


def comparison_xlsx(rows, *, caption: str) -> bytes:
    return _xlsx("Comparison", caption, *comparison_table(rows))
