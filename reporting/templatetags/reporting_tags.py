"""Formatting of published figures: a count, a share, or [c] when suppressed."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

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


@register.simple_tag
def trend_chart(points, level_index: int = 1, width: int = 640, height: int = 240):
    """Bar geometry for the trend chart: people at or above a level, month by month."""
    values = []
    for point in points:
        parts = point.levels[level_index:]
        values.append(SUPPRESSED if SUPPRESSED in parts else sum(parts))
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
