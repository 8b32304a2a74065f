"""Entrants' pages: start, edit, upload, invite, submit, withdraw and read feedback."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from challenges import selectors, services
from challenges.forms import InviteForm, SubmissionForm, SubmitForm, UploadForm
from challenges.models import ChallengePage, Invitation, Submission

from ._helpers import add_service_errors, error_list, file_download


def _own_submission(request, pk: int) -> Submission:
    try:
        return selectors.submission_for_member(user=request.user, submission_id=pk)
    except Submission.DoesNotExist:
        raise Http404("No such submission") from None


def _detail(request, submission, *, forms=None, errors=None, status=200):
    forms = forms or {}
    context = {
        "submission": submission,
        "challenge": submission.challenge,
        "members": submission.members.all(),
        "files": submission.files.all(),
        "invitations": submission.invitations.all(),
        "feedback": selectors.feedback_for_entrants(submission=submission),
        "events": submission.events.select_related("actor"),
        "submit_form": SubmitForm(initial={"round": submission.round}),
        "upload_form": forms.get("upload") or UploadForm(),
        "invite_form": forms.get("invite") or InviteForm(),
        "errors": errors or [],
        "actions": services.allowed_actions(submission.status),
    }
    return render(request, "challenges/submission_detail.html", context, status=status)


@login_required
def my_submissions(request):
    """The user's own submissions and the invitations waiting for them."""
    return render(
        request,
        "challenges/my_submissions.html",
        {
            "submissions": selectors.submissions_of_member(user=request.user),
            "invitations": selectors.invitations_for(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_start(request, challenge_id: int):
    """Start a draft submission to an open challenge."""
    challenge = get_object_or_404(ChallengePage.objects.live(), pk=challenge_id)
    if not challenge.is_open_at(timezone.now()):
        # Say so now, not after the entrant has written their draft.
        return render(
            request,
            "challenges/challenge_not_open.html",
            {"challenge": challenge, "now": timezone.now()},
            status=200 if request.method == "GET" else 400,
        )
    form = SubmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.submission_start(
                challenge=challenge, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your draft has been saved.")
            return redirect("challenges:submission_detail", pk=submission.pk)
    return render(
        request,
        "challenges/submission_form.html",
        {"form": form, "challenge": challenge, "errors": error_list(form), "starting": True},
    )


@login_required
def submission_detail(request, pk: int):
    """A team member's view of their submission: status, team, files, feedback, history."""
    return _detail(request, _own_submission(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def submission_edit(request, pk: int):
    """Edit the title and solution while the submission is a draft or sent back."""
    submission = _own_submission(request, pk)
    initial = {"title": submission.title, "summary": submission.summary}
    form = SubmissionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_update(
                submission_id=submission.pk, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect("challenges:submission_detail", pk=submission.pk)
    return render(
        request,
        "challenges/submission_form.html",
        {
            "form": form,
            "challenge": submission.challenge,
            "submission": submission,
            "errors": error_list(form),
        },
    )


@login_required
@require_POST
def submission_submit(request, pk: int):
    """Submit (or resubmit); a repeated click for the same round submits once."""
    submission = _own_submission(request, pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _detail(
            request, submission, errors=[{"text": "Reload the page and submit again."}], status=400
        )
    try:
        submission, changed = services.submission_submit(
            submission_id=submission.pk,
            user=request.user,
            expected_round=form.cleaned_data["round"],
        )
    except ValidationError as error:
        return _detail(
            request,
            submission,
            errors=[{"text": message, "href": "#submit"} for message in error.messages],
        )
    messages.success(request, "Your submission has been sent." if changed else "Already sent.")
    return redirect("challenges:submission_detail", pk=submission.pk)


@login_required
@require_http_methods(["GET", "POST"])
def submission_withdraw(request, pk: int):
    """Confirm, then withdraw the submission."""
    submission = _own_submission(request, pk)
    errors = []
    if request.method == "POST":
        try:
            services.submission_withdraw(submission_id=submission.pk, user=request.user)
        except ValidationError as error:
            errors = [{"text": message, "href": "#withdraw"} for message in error.messages]
        else:
            messages.success(request, "Your submission has been withdrawn.")
            return redirect("challenges:submission_detail", pk=submission.pk)
    return render(
        request,
        "challenges/submission_withdraw.html",
        {"submission": submission, "errors": errors},
    )


@login_required
@require_POST
def file_upload(request, pk: int):
    """Upload a supporting file; its type is checked from its content."""
    submission = _own_submission(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.file_upload(
                submission_id=submission.pk, user=request.user, upload=form.cleaned_data["upload"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your file has been uploaded.")
            return redirect("challenges:submission_detail", pk=submission.pk)
    return _detail(request, submission, forms={"upload": form}, errors=error_list(form), status=400)


@login_required
def file_download_member(request, pk: int, file_id: int):
    """A team member downloads one of their submission's files, as an attachment."""
    submission = _own_submission(request, pk)
    return file_download(get_object_or_404(submission.files, pk=file_id))


@login_required
@require_POST
def file_delete(request, pk: int, file_id: int):
    """Delete a supporting file while the submission can change."""
    submission = _own_submission(request, pk)
    record = get_object_or_404(submission.files, pk=file_id)
    try:
        services.file_delete(file_id=record.pk, user=request.user)
    except ValidationError as error:
        return _detail(request, submission, errors=[{"text": m} for m in error.messages])
    messages.success(request, f"{record.original_name} has been deleted.")
    return redirect("challenges:submission_detail", pk=submission.pk)


@login_required
@require_POST
def invite(request, pk: int):
    """Invite a teammate by email."""
    submission = _own_submission(request, pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                submission_id=submission.pk, user=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"We have emailed an invitation to {form.cleaned_data['email']}."
            )
            return redirect("challenges:submission_detail", pk=submission.pk)
    return _detail(request, submission, forms={"invite": form}, errors=error_list(form), status=400)


@login_required
@require_POST
def invitation_cancel(request, pk: int, invitation_id: int):
    """Cancel an unanswered invitation."""
    submission = _own_submission(request, pk)
    invitation = get_object_or_404(submission.invitations, pk=invitation_id)
    try:
        services.invitation_cancel(invitation_id=invitation.pk, user=request.user)
    except ValidationError as error:
        return _detail(request, submission, errors=[{"text": m} for m in error.messages])
    messages.success(request, f"The invitation to {invitation.email} has been cancelled.")
    return redirect("challenges:submission_detail", pk=submission.pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The invited person accepts or declines; nobody else may see the invitation."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("submission__challenge", "invited_by"),
        token=token,
        email__iexact=request.user.email,
    )
    errors = []
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                services.invitation_accept(token=token, user=request.user)
                messages.success(request, "You have joined the team.")
                return redirect("challenges:submission_detail", pk=invitation.submission_id)
            if answer == "decline":
                services.invitation_decline(token=token, user=request.user)
                messages.success(request, "You have declined the invitation.")
                return redirect("challenges:my_submissions")
            errors = [{"text": "Choose whether to join the team", "href": "#answer"}]
        except ValidationError as error:
            errors = [{"text": message, "href": "#answer"} for message in error.messages]
    return render(
        request, "challenges/invitation.html", {"invitation": invitation, "errors": errors}
    )
