"""Formatting of published figures: a count, a share, or [c] when suppressed."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from courses.models import SkillLevel
from reporting import exports
from reporting.disclosure import SUPPRESSED

register = template.Library()


@register.filter
def figure(value):
    if value == SUPPRESSED or value == "":
        return value
    return intcomma(value)


@register.filter
def percent(value):
    if value == SUPPRESSED or value == "":
        return value
    return f"{value * 100:.0f}%"


@register.filter
def is_suppressed(value):
    return value == SUPPRESSED


@register.filter
def level_heading(level):
    """A level as a heading: Working or above (the top level: just Expert)."""
    return exports.level_heading(SkillLevel(level))


@register.simple_tag
def rounding_note():
    return exports.ROUNDING_NOTE


@register.simple_tag
def trend_chart(points, level: int, width: int = 640, height: int = 240):
    """Bar geometry for the trend chart: people at or above `level`, month by month, read
    as the trend table (and each month's page) shows them.
    """
    values = [point.levels[level - 1] for point in points]
    top = max([v for v in values if v != SUPPRESSED] or [0]) or 1
    left, bottom, gap = 48, 28, 12
    slot = (width - left) / max(len(points), 1)
    bars = []
    for index, (point, value) in enumerate(zip(points, values, strict=True)):
        label = point.period.strftime("%b %Y") if point.period else "Latest"
        bar_height = 0 if value == SUPPRESSED else (height - bottom - 16) * value / top
        x = left + index * slot + gap / 2
        bars.append(
            {
                "x": round(x, 1),
                "width": round(slot - gap, 1),
                "y": round(height - bottom - bar_height, 1),
                "height": round(bar_height, 1),
                "label": label,
                "label_x": round(x + (slot - gap) / 2, 1),
                "value": value,
            }
        )
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "baseline": height - bottom,
        "top": top,
        "left": left,
    }


_STATUS = {
    "green": ("govuk-tag--green", "On target"),
    "amber": ("govuk-tag--yellow", "Near target"),
    "red": ("govuk-tag--red", "Below target"),
}


def _figure_cell(count, proportion) -> str:
    return format_html(
        '<td class="govuk-table__cell govuk-table__cell--numeric">{}<br>'
        '<span class="govuk-hint govuk-!-font-size-16">{}</span></td>',
        figure(count),
        percent(proportion),
    )


def _status(row) -> str:
    if row.rag in _STATUS:
        tag, label = _STATUS[row.rag]
        text = percent(row.achieved_share)
        if row.rag != "green":
            text = f"{text}, {row.gap_points} points short"
        return format_html('<strong class="govuk-tag {}">{}</strong> {}', tag, label, text)
    if row.rag == "unknown":
        return format_html(
            '<strong class="govuk-tag govuk-tag--grey">Not shown</strong> {}', SUPPRESSED
        )
    return ""


def _courses(row) -> str:
    if not row.courses:
        return "None yet"
    return format_html_join(
        "<br>", '<a class="govuk-link" href="{}">{}</a>', ((u, t) for t, u in row.courses[:3])
    )


@register.simple_tag
def coverage_status(row):
    """A target's status: only beside the figure it is read from, and "Not shown" with it."""
    return _status(row)


@register.simple_tag
def coverage_courses(row):
    """Up to three live courses that build the row's skill."""
    return _courses(row)


@register.simple_tag
def coverage_table_rows(rows):
    """The body rows of the coverage matrix. Built here rather than in the template: a
    department's framework page has a row per DDaT skill (189, more where a skill serves
    several role families), and rendering its cells through the template engine was most of
    the page's time.
    """
    html = []
    for row in rows:
        target = (
            format_html(
                "{}% at {} or above", row.target.target_percent, row.target.get_level_display()
            )
            if row.target
            else "None set"
        )
        courses = _courses(row)
        html.append(
            format_html(
                '<tr class="govuk-table__row">'
                '<th scope="row" class="govuk-table__header">{}</th>{}'
                '<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>'
                '<td class="govuk-table__cell">{}</td></tr>',
                row.skill.name,
                mark_safe("".join(_figure_cell(c, p) for c, p in row.levels)),  # noqa: S308 - escaped above
                target,
                _status(row),
                courses,
            )
        )
    return mark_safe("\n".join(html))  # noqa: S308 - every part went through format_html
