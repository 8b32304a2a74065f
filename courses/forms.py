"""The catalogue's search and filter form (GET): its state lives in the URL."""

from django import forms

from .models import SkillLevel

DURATIONS = {
    "under-30": ("Under 30 minutes", None, 29),
    "30-to-60": ("30 minutes to 1 hour", 30, 60),
    "over-60": ("Over 1 hour", 61, None),
}

SORTS = {
    "relevance": "Best match",
    "title": "Title (A to Z)",
    "shortest": "Shortest first",
    "newest": "Newest first",
}


class CatalogueForm(forms.Form):
    q = forms.CharField(
        label="Search courses",
        required=False,
        max_length=200,
        error_messages={"max_length": "Search terms must be 200 characters or fewer"},
    )
    skill = forms.MultipleChoiceField(
        label="Skill",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select skills from the list"},
    )
    level = forms.TypedMultipleChoiceField(
        label="Skill level",
        required=False,
        coerce=int,
        choices=[(str(level.value), level.label) for level in SkillLevel],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select skill levels from the list"},
    )
    duration = forms.MultipleChoiceField(
        label="Duration",
        required=False,
        choices=[(key, label) for key, (label, _, _) in DURATIONS.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select durations from the list"},
    )
    profession = forms.MultipleChoiceField(
        label="Profession",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select professions from the list"},
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=list(SORTS.items()),
        error_messages={"invalid_choice": "Select a sort order from the list"},
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100_000,
        error_messages={
            "invalid": "Page number must be a whole number, like 2",
            "min_value": "Page number must be 1 or more",
            "max_value": "Page number is too large",
        },
    )

    def __init__(self, *args, skills=(), professions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = [(skill.code, skill.name) for skill in skills]
        self.fields["profession"].choices = [(p.code, p.name) for p in professions]

    CHECKBOX_FILTERS = ("skill", "level", "duration", "profession")

    def checkbox_filters(self) -> list[dict]:
        """The checkbox filters as plain data for the template (much cheaper than rendering
        each choice through the widget): name, label, first error and each option's id, value,
        label and whether it is ticked (as the widget decides: its value among those sent).
        """
        filters = []
        for name in self.CHECKBOX_FILTERS:
            bound = self[name]
            ticked = {str(value) for value in bound.value() or []}
            errors = bound.errors
            filters.append(
                {
                    "name": name,
                    "label": bound.label,
                    "error": errors[0] if errors else None,
                    "options": [
                        {
                            "id": f"{name}-{number}",
                            "value": value,
                            "label": label,
                            "checked": str(value) in ticked,
                        }
                        for number, (value, label) in enumerate(bound.field.choices, start=1)
                    ],
                }
            )
        return filters

    def cleaned(self, name, default=None):
        """A field's cleaned value, or the default when the field was invalid."""
        value = getattr(self, "cleaned_data", {}).get(name)
        return default if value in (None, "", []) else value
