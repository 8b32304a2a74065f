from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from . import selectors
from .forms import ProfileForm
from .services.profiles import profile_update

MFA_NEXT_SESSION_KEY = "learners_mfa_next"
PROFILE_FIELDS = (
    "organisation",
    "grade",
    "profession",
    "current_role_level",
    "target_role_level",
)


@login_required
def profile_edit(request):
    """Show and save the learner's department, grade, profession and DDaT roles."""
    profile = selectors.profile_for_user(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                profile_update(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, "Your profile has been saved.")
                return redirect("learners:profile")
    else:
        initial = {}
        if profile is not None:
            initial = {name: getattr(profile, f"{name}_id") for name in PROFILE_FIELDS}
        initial.update(first_name=request.user.first_name, last_name=request.user.last_name)
        form = ProfileForm(initial=initial)
    return render(request, "learners/profile.html", {"form": form, "profile": profile})


@login_required
def mfa_required(request):
    """Explain why a privileged area needs an authenticator, and link to set one up."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    # Remembered so that the page after enrolment (recovery codes) can lead back there.
    request.session[MFA_NEXT_SESSION_KEY] = next_url
    return render(request, "learners/mfa_required.html", {"next": next_url})
