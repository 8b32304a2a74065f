"""Mentors' pages: the queue, the review form, conflicts of interest and file downloads."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from challenges import selectors, services
from challenges.forms import ConflictForm, ReviewForm
from challenges.models import MentorAssignment
from challenges.permissions import is_mentor

from ._helpers import add_service_errors, error_list, file_download

CONFLICT_REPLACED = (
    "Thank you. You are no longer reviewing this submission: it has been passed to another mentor."
)
CONFLICT_NO_REPLACEMENT = (
    "Thank you. You are no longer reviewing this submission. No other mentor is free to take "
    "it, so it is waiting for the challenge manager to find one."
)


def mentor_required(view):
    """Signed in and in the Mentors group, or 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_mentor(request.user):
            raise PermissionDenied("Only mentors can review submissions.")
        return view(request, *args, **kwargs)

    return wrapped


def _assignment(request, pk: int) -> MentorAssignment:
    try:
        return selectors.assignment_for_mentor(user=request.user, assignment_id=pk)
    except MentorAssignment.DoesNotExist:
        raise Http404("No such assignment") from None


@mentor_required
def queue(request):
    """Submissions assigned to the mentor: to review, and done."""
    return render(
        request, "challenges/review_queue.html", selectors.mentor_queue(user=request.user)
    )


@mentor_required
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    """Read the submission and score it against the rubric, beside each level's descriptor."""
    assignment = _assignment(request, pk)
    submission = assignment.submission
    challenge = submission.challenge
    criteria = challenge.rubric_criteria.all()
    existing = selectors.review_of(assignment=assignment)
    form = ReviewForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            services.review_submit(
                assignment_id=assignment.pk,
                mentor=request.user,
                scores=form.scores(),
                comments=form.cleaned_data["comments"],
                recommendation=form.cleaned_data["recommendation"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your review has been sent to the challenge manager.")
            return redirect("challenges:review_queue")
    return render(
        request,
        "challenges/review_form.html",
        {
            "assignment": assignment,
            "submission": submission,
            "challenge": challenge,
            "members": None
            if challenge.blind_review
            else submission.members.select_related("user"),
            "files": submission.files.all(),
            "form": form,
            "existing": existing,
            "errors": error_list(form),
        },
    )


@mentor_required
@require_http_methods(["GET", "POST"])
def declare_conflict(request, pk: int):
    """Step aside from a submission for a conflict of interest; another mentor replaces you
    when one is free, and the message says which happened.
    """
    assignment = _assignment(request, pk)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            replacement = services.assignment_declare_conflict(
                assignment_id=assignment.pk, mentor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, CONFLICT_REPLACED if replacement else CONFLICT_NO_REPLACEMENT)
            return redirect("challenges:review_queue")
    return render(
        request,
        "challenges/review_conflict.html",
        {"assignment": assignment, "form": form, "errors": error_list(form)},
    )


@mentor_required
def file_download_mentor(request, pk: int, file_id: int):
    """An assigned mentor downloads a file of the submission, as an attachment."""
    assignment = _assignment(request, pk)
    return file_download(get_object_or_404(assignment.submission.files, pk=file_id))
