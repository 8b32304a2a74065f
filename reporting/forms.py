from django import forms

from courses.models import Skill, SkillLevel
from learners.models import Grade, Profession

from .models import Series

MONTH_FORMAT = "%Y-%m"


class CoverageFilterForm(forms.Form):
    """The dashboard's and exports' query parameters; the same form validates both."""

    series = forms.ChoiceField(
        choices=Series.choices, required=False, label="Levels", initial=Series.EVIDENCED
    )
    grade = forms.ModelChoiceField(
        queryset=Grade.objects.order_by("rank"),
        to_field_name="code",
        required=False,
        empty_label="All grades",
    )
    profession = forms.ModelChoiceField(
        queryset=Profession.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label="All professions",
    )
    period = forms.CharField(required=False, label="Month")
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.order_by("name"),
        to_field_name="code",
        required=False,
        label="Trend for skill",
        empty_label="Choose a skill",
    )

    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = {p.strftime(MONTH_FORMAT): p for p in periods}

    def clean_series(self):
        return self.cleaned_data.get("series") or Series.EVIDENCED

    def clean_period(self):
        value = (self.cleaned_data.get("period") or "").strip()
        if not value:
            return None
        if value not in self.periods:
            raise forms.ValidationError(
                "Choose a month that has figures, or leave it blank for the latest figures."
            )
        return self.periods[value]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("grade") and cleaned.get("profession"):
            raise forms.ValidationError(
                "Choose a grade or a profession, not both: figures for both at once would be "
                "too small to show."
            )
        return cleaned


class SkillTargetForm(forms.Form):
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.order_by("name"),
        to_field_name="code",
        error_messages={"required": "Choose a skill", "invalid_choice": "Choose a skill"},
    )
    level = forms.TypedChoiceField(
        choices=SkillLevel.choices,
        coerce=int,
        error_messages={"required": "Choose the level people should have at least"},
    )
    target_percent = forms.IntegerField(
        min_value=1,
        max_value=100,
        label="Target (% of headcount)",
        error_messages={
            "required": "Enter the target as a percentage",
            "invalid": "Enter the target as a whole number, like 40",
            "min_value": "The target must be between 1%% and 100%%",
            "max_value": "The target must be between 1%% and 100%%",
        },
    )


class ComparisonForm(forms.Form):
    """The analyst's comparison: one skill, at or above one level."""

    skill = forms.ModelChoiceField(
        queryset=Skill.objects.order_by("name"),
        to_field_name="code",
        error_messages={"required": "Choose a skill", "invalid_choice": "Choose a skill"},
    )
    level = forms.TypedChoiceField(
        choices=SkillLevel.choices,
        coerce=int,
        label="At or above level",
        error_messages={
            "required": "Choose a level",
            "invalid_choice": "Choose a level of the framework",
        },
    )


class HeadcountUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a headcount CSV file",
        error_messages={"required": "Choose a CSV file to upload"},
    )
