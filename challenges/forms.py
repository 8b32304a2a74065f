"""Input parsing for the challenge views. Business rules live in the services."""

from django import forms

from challenges.models import Recommendation
from learners.forms import PlainEmailField

TITLE_REQUIRED = "Enter a title for your submission"


class SubmissionForm(forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": TITLE_REQUIRED})
    summary = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        label="Your solution",
    )


class SubmitForm(forms.Form):
    """The submit button's form: the round it was rendered for makes a resent form harmless."""

    round = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class UploadForm(forms.Form):
    upload = forms.FileField(
        label="Upload a file", error_messages={"required": "Select a file to upload"}
    )


class InviteForm(forms.Form):
    email = PlainEmailField(
        label="Teammate's email address",
        error_messages={
            "required": "Enter your teammate's email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter why you have a conflict of interest"},
    )


class ReviewForm(forms.Form):
    """A score per rubric criterion, comments and a recommendation."""

    comments = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        label="Your comments",
        error_messages={"required": "Enter your comments for the entrants"},
    )
    recommendation = forms.ChoiceField(
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a recommendation"},
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion-{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.title,
                choices=[(score, label) for score, label, _ in criterion.descriptors],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose a score for {criterion.title}"},
            )
        # The page's order (scores, then comments and recommendation), which the error summary
        # follows.
        self.order_fields([f"criterion-{c.pk}" for c in self.criteria])

    def criterion_fields(self):
        return [(c, self[f"criterion-{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion-{c.pk}"] for c in self.criteria}


class AssignForm(forms.Form):
    mentor = forms.TypedChoiceField(
        coerce=int, label="Mentor", error_messages={"required": "Choose a mentor"}
    )

    def __init__(self, *args, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].choices = [("", "Choose a mentor")] + [
            (m.pk, f"{m} ({m.email})") for m in mentors
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision"},
    )
    feedback = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        label="Feedback for the entrants",
        error_messages={"required": "Enter feedback for the entrants"},
    )
