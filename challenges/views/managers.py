"""Challenge managers' pages: submissions, mentor assignment, reviews side by side, decisions."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from challenges import selectors, services
from challenges.forms import AssignForm, DecisionForm
from challenges.models import ChallengePage, Submission

from ._helpers import add_service_errors, error_list, file_download


def _managed_submission(request, pk: int) -> Submission:
    try:
        return selectors.submission_for_manager(user=request.user, submission_id=pk)
    except Submission.DoesNotExist:
        raise Http404("No such submission") from None


def _submission_page(request, submission, *, assign_form=None, decision_form=None, status=200):
    assign_form = assign_form or AssignForm(
        mentors=selectors.eligible_mentors(submission=submission)
    )
    decision_form = decision_form or DecisionForm()
    errors = error_list(assign_form) + error_list(decision_form)
    return render(
        request,
        "challenges/manage_submission.html",
        {
            "submission": submission,
            "challenge": submission.challenge,
            "comparison": selectors.reviews_side_by_side(submission=submission),
            "shortfall": selectors.mentor_shortfall(submission=submission),
            "assign_form": assign_form,
            "decision_form": decision_form,
            "errors": errors,
            "events": submission.events.select_related("actor"),
            "can_decide": bool(
                {"accept", "reject", "shortlist", "request_changes"}
                & services.allowed_actions(submission.status)
            ),
        },
        status=status,
    )


@login_required
def challenge_list(request):
    """The challenges the user manages."""
    return render(
        request,
        "challenges/manage_list.html",
        {"challenges": selectors.challenges_managed_by(user=request.user)},
    )


@login_required
def challenge_submissions(request, challenge_id: int):
    """A managed challenge's submissions with their mentors."""
    try:
        challenge, submissions = selectors.submissions_for_manager(
            user=request.user, challenge_id=challenge_id
        )
    except ChallengePage.DoesNotExist:
        raise Http404("No such challenge") from None
    return render(
        request,
        "challenges/manage_challenge.html",
        {"challenge": challenge, "submissions": submissions},
    )


@login_required
@require_POST
def auto_assign(request, challenge_id: int):
    """Assign mentors to every open submission, balancing their load."""
    try:
        challenge, _ = selectors.submissions_for_manager(
            user=request.user, challenge_id=challenge_id
        )
    except ChallengePage.DoesNotExist:
        raise Http404("No such challenge") from None
    made, short = services.mentors_assign_automatically(
        challenge_id=challenge.pk, manager=request.user
    )
    text = f"{made} mentor assignment{'s' if made != 1 else ''} made."
    if short:
        text += f" {short} submission{'s' if short != 1 else ''} still need mentors."
    messages.success(request, text)
    return redirect("challenges:manage_challenge", challenge_id=challenge.pk)


@login_required
def submission(request, pk: int):
    """One submission: the entry, its mentors, reviews side by side, and the decision form."""
    return _submission_page(request, _managed_submission(request, pk))


@login_required
@require_POST
def assign(request, pk: int):
    """Assign a mentor by hand; conflicts of interest are refused."""
    submission = _managed_submission(request, pk)
    form = AssignForm(request.POST, mentors=selectors.eligible_mentors(submission=submission))
    if form.is_valid():
        mentor = get_object_or_404(get_user_model(), pk=form.cleaned_data["mentor"])
        try:
            services.mentor_assign(submission_id=submission.pk, mentor=mentor, manager=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{mentor} has been assigned.")
            return redirect("challenges:manage_submission", pk=submission.pk)
    return _submission_page(request, submission, assign_form=form, status=400)


@login_required
@require_POST
def unassign(request, pk: int, assignment_id: int):
    """Take a mentor off the submission."""
    submission = _managed_submission(request, pk)
    assignment = get_object_or_404(submission.assignments, pk=assignment_id)
    try:
        services.assignment_remove(assignment_id=assignment.pk, manager=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{assignment.mentor} is no longer assigned.")
    return redirect("challenges:manage_submission", pk=submission.pk)


@login_required
@require_POST
def decide(request, pk: int):
    """Decide: request changes, shortlist, accept or reject, with feedback for the team."""
    submission = _managed_submission(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.submission_decide(
                submission_id=submission.pk, manager=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your decision has been sent to the team.")
            return redirect("challenges:manage_submission", pk=submission.pk)
    return _submission_page(request, submission, decision_form=form, status=400)


@login_required
def file_download_manager(request, pk: int, file_id: int):
    """A manager downloads a file of a submission to their challenge, as an attachment."""
    submission = _managed_submission(request, pk)
    return file_download(get_object_or_404(submission.files, pk=file_id))
