from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def profile_edit(request):
    """Edit department, grade, profession and DDaT roles."""
    return render(request, "learners/profile.html")


@login_required
def mfa_required(request):
    """Explain why a privileged area needs an authenticator, and link to set one up."""
    return render(request, "learners/mfa_required.html", {"next": request.GET.get("next", "")})
