from django import forms

CONFIRM_PHRASE = "delete my account"


class AccountDeleteForm(forms.Form):
    """The person's own erasure request: typed confirmation and, if they have one, password."""

    confirm = forms.CharField(
        label=f"To confirm, type “{CONFIRM_PHRASE}”",
        max_length=50,
        error_messages={"required": f"Type “{CONFIRM_PHRASE}” to confirm"},
    )
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
        max_length=4096,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["password"]  # signs in by single sign-on only

    def clean_confirm(self):
        value = " ".join(self.cleaned_data["confirm"].split()).lower()
        if value != CONFIRM_PHRASE:
            raise forms.ValidationError(f"Type “{CONFIRM_PHRASE}” to confirm")
        return value

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if not password:
            raise forms.ValidationError("Enter your password")
        if not self.user.check_password(password):
            raise forms.ValidationError("The password is not right")
        return password


class ErasureForm(forms.Form):
    """An administrator's erasure of someone: the reason is kept in the erasure record."""

    reason = forms.CharField(
        label="Reason for erasure",
        help_text="For example: the person's request of 3 March, reference 1234. Do not write "
        "their name or email address: this reason is kept.",
        max_length=200,
    )
