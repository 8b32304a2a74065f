"""The privacy notice's table of what is held, why and for how long, read from the register."""

from django import template

from learners.privacy import register as personal_data

register = template.Library()


@register.inclusion_tag("privacy/register_table.html")
def personal_data_register():
    """Each purpose with its records, and each retention rule with its number of days."""
    by_purpose = {}
    for entry in personal_data.declarations():
        by_purpose.setdefault(entry.purpose, set()).add(entry.retention)
    return {
        "purposes": [
            {
                "text": text,
                "retentions": [
                    personal_data.retention_text(kind) for kind in sorted(by_purpose.get(key, ()))
                ],
            }
            for key, text in personal_data.PURPOSES.items()
            if key in by_purpose
        ],
    }
