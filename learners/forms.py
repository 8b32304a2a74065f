"""Forms for people: allauth's account forms with GOV.UK wording, and the profile form."""

from allauth.account import forms as account_forms
from allauth.socialaccount import forms as socialaccount_forms
from django import forms

from courses.models import RoleLevel

from . import selectors
from .models import Grade, Organisation, Profession
from .services.email_domains import email_normalise, validate_plain_email

EMAIL_LABEL = "Email address"
PASSWORD_LABEL = "Password"  # noqa: S105 - a label, not a password
CONFIRM_PASSWORD_LABEL = "Confirm password"  # noqa: S105 - a label, not a password
NEW_PASSWORD_LABEL = "New password"  # noqa: S105 - a label, not a password
CONFIRM_NEW_PASSWORD_LABEL = "Confirm new password"  # noqa: S105 - a label, not a password
PASSWORD_HINT = "Use at least 10 characters, not only numbers or a common word."  # noqa: S105
EMAIL_HINT = "Use your government work email address, like name@department.gov.uk"
GIVEN_NAME_LABEL = "Given name"
FAMILY_NAME_LABEL = "Family name"
GIVEN_NAME_REQUIRED = "Enter your given name"
FAMILY_NAME_REQUIRED = "Enter your family name"


class PlainEmailField(forms.EmailField):
    """An email field that takes plain addresses only (see `email_normalise`), each refusal with
    its own clear message, and returns the normalised address.
    """

    default_validators = [validate_plain_email]

    def clean(self, value):
        value = super().clean(value)
        return email_normalise(value) if value else value


def _plain_email(form: forms.Form, name: str = "email") -> None:
    """Check the address is plain with our own clear messages (the adapter then normalises it
    and applies the allowlist); Django's looser validator would otherwise answer first.
    """
    field = form.fields.get(name)
    if field is not None:
        field.validators = [validate_plain_email]


def _relabel(form: forms.Form, labels: dict[str, str]) -> None:
    """Give fields GOV.UK labels; placeholders are dropped because labels do their job."""
    for name, label in labels.items():
        field = form.fields.get(name)
        if field is None:
            continue
        field.label = label
        field.widget.attrs.pop("placeholder", None)


def name_fields() -> dict[str, forms.CharField]:
    """The given and family name fields, named as the user model's columns."""
    return {
        "first_name": forms.CharField(
            label=GIVEN_NAME_LABEL,
            max_length=150,
            strip=True,
            error_messages={"required": GIVEN_NAME_REQUIRED},
            widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
        ),
        "last_name": forms.CharField(
            label=FAMILY_NAME_LABEL,
            max_length=150,
            strip=True,
            error_messages={"required": FAMILY_NAME_REQUIRED},
            widget=forms.TextInput(attrs={"autocomplete": "family-name", "spellcheck": "false"}),
        ),
    }


def _add_name_fields_first(form: forms.Form) -> None:
    """Put the name fields at the top of the form, before allauth's own fields."""
    form.fields = {**name_fields(), **form.fields}


class LoginForm(account_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self, {"login": EMAIL_LABEL, "password": PASSWORD_LABEL})
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"


class SignupForm(account_forms.SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(
            self,
            {
                "email": EMAIL_LABEL,
                "password1": PASSWORD_LABEL,
                "password2": CONFIRM_PASSWORD_LABEL,
            },
        )
        self.fields["email"].help_text = EMAIL_HINT
        self.fields["password1"].help_text = PASSWORD_HINT
        _plain_email(self)
        _add_name_fields_first(self)


class AddEmailForm(account_forms.AddEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self, {"email": "New email address"})
        self.fields["email"].help_text = EMAIL_HINT
        _plain_email(self)


class ResetPasswordForm(account_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self, {"email": EMAIL_LABEL})


class ResetPasswordKeyForm(account_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self, {"password1": NEW_PASSWORD_LABEL, "password2": CONFIRM_NEW_PASSWORD_LABEL})
        self.fields["password1"].help_text = "Use at least 10 characters."


class ChangePasswordForm(account_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(
            self,
            {
                "oldpassword": "Current password",
                "password1": NEW_PASSWORD_LABEL,
                "password2": CONFIRM_NEW_PASSWORD_LABEL,
            },
        )
        self.fields["oldpassword"].help_text = ""
        self.fields["password1"].help_text = "Use at least 10 characters."


class SetPasswordForm(account_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self, {"password1": PASSWORD_LABEL, "password2": CONFIRM_PASSWORD_LABEL})
        self.fields["password1"].help_text = "Use at least 10 characters."


class ReauthenticateForm(account_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self, {"password": PASSWORD_LABEL})
        self.fields["password"].help_text = ""


class SocialSignupForm(socialaccount_forms.SignupForm):
    """Shown when single sign-on cannot finish sign-up alone.

    The email still goes through the allowlist (the adapter's clean_email).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _relabel(self, {"email": EMAIL_LABEL})
        if "email" in self.fields:
            self.fields["email"].help_text = EMAIL_HINT
        _plain_email(self)
        # Prefilled from the identity provider's given_name and family_name claims, if sent.
        _add_name_fields_first(self)


class RoleLevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.role.name}: {obj.name}" if obj.name != obj.role.name else obj.name


class ProfileForm(forms.Form):
    """What a learner says about who they are, where they work and where they want to go."""

    first_name, last_name = name_fields().values()
    organisation = forms.ModelChoiceField(
        label="Department or agency",
        queryset=Organisation.objects.none(),
        empty_label="Select your department or agency",
        error_messages={
            "required": "Select your department or agency",
            "invalid_choice": "Select a department or agency from the list",
        },
    )
    grade = forms.ModelChoiceField(
        label="Grade",
        queryset=Grade.objects.none(),
        empty_label="Select your grade",
        error_messages={
            "required": "Select your grade",
            "invalid_choice": "Select a grade from the list",
        },
    )
    profession = forms.ModelChoiceField(
        label="Profession",
        queryset=Profession.objects.none(),
        empty_label="Select your profession",
        error_messages={
            "required": "Select your profession",
            "invalid_choice": "Select a profession from the list",
        },
    )
    current_role_level = RoleLevelChoiceField(
        label="Current digital, data and technology role (optional)",
        queryset=RoleLevel.objects.none(),
        required=False,
        empty_label="None or not sure",
        help_text="Your role in the Digital and Data Profession Capability Framework",
        error_messages={"invalid_choice": "Select a current role from the list"},
    )
    target_role_level = RoleLevelChoiceField(
        label="Target digital, data and technology role (optional)",
        queryset=RoleLevel.objects.none(),
        required=False,
        empty_label="None or not sure",
        help_text="The role you want to grow into. We recommend courses for it.",
        error_messages={"invalid_choice": "Select a target role from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.organisation_choices()
        self.fields["grade"].queryset = selectors.grade_choices()
        self.fields["profession"].queryset = selectors.profession_choices()
        role_levels = selectors.role_level_choices()
        self.fields["current_role_level"].queryset = role_levels
        self.fields["target_role_level"].queryset = role_levels
