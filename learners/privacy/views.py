"""The person's own personal-data pages: download everything held about them, or close their
account and erase their data.
"""

import uuid

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import AccountDeleteForm
from .models import PersonalDataAccess, SubjectAccessRequest


@login_required
def your_data(request):
    """What the service holds about you: ask for a copy, or delete your account."""
    return render(
        request,
        "privacy/your_data.html",
        {"requests": selectors.access_requests_for(user=request.user)},
    )


@login_required
@require_POST
def download_request(request):
    """Start a subject access download of your own data (Post/Redirect/Get)."""
    access_request = services.sar_request(subject=request.user, requested_by=request.user)
    return redirect("privacy:download_status", key=access_request.key)


def _own_request(request, key) -> SubjectAccessRequest:
    try:
        key = uuid.UUID(str(key))
    except ValueError as error:
        raise Http404 from error
    access_request = selectors.access_request_for(user=request.user, key=key)
    if access_request is None:
        raise Http404("No such download")
    return access_request


@login_required
def download_status(request, key):
    """How far the download is; refreshes itself while it is being prepared."""
    return render(
        request, "privacy/download_status.html", {"access_request": _own_request(request, key)}
    )


@login_required
def download_file(request, key):
    """The zip itself, for the person or the administrator who asked for it; logged."""
    access_request = _own_request(request, key)
    if access_request.status != SubjectAccessRequest.Status.READY:
        raise Http404("This download is not ready, or has expired")
    services.audit_record(
        actor=request.user,
        subject=access_request.subject,
        action=PersonalDataAccess.Action.EXPORT_DOWNLOADED,
        detail=str(access_request.key),
    )
    response = FileResponse(
        storages["private"].open(access_request.storage_name),
        as_attachment=True,
        filename=f"your-data-{access_request.created_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account_delete(request):
    """Close your account and erase your data, after a typed confirmation."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.person_erase(
            user_id=request.user.pk, requested_by=request.user, reason="The person's own request"
        )
        logout(request)
        messages.success(request, "Your account is closed and your personal data erased.")
        return redirect("privacy:account_deleted")
    return render(request, "privacy/account_delete.html", {"form": form})


def account_deleted(request):
    """Confirmation after the person erased their own account."""
    return render(request, "privacy/account_deleted.html")
