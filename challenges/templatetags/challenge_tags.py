"""Presentation helpers for the challenge templates."""

from django import template

register = template.Library()

STATUS_COLOURS = {
    "draft": "govuk-tag--grey",
    "submitted": "govuk-tag--blue",
    "in_review": "govuk-tag--light-blue",
    "changes_requested": "govuk-tag--yellow",
    "shortlisted": "govuk-tag--purple",
    "accepted": "govuk-tag--green",
    "rejected": "govuk-tag--red",
    "withdrawn": "govuk-tag--grey",
}

ACTION_LABELS = {
    "start": "Started the draft",
    "edit": "Edited the submission",
    "upload": "Uploaded a file",
    "delete_file": "Deleted a file",
    "invite": "Invited a teammate",
    "cancel_invitation": "Cancelled an invitation",
    "decline_invitation": "Declined an invitation",
    "join": "Joined the team",
    "submit": "Submitted",
    "start_review": "Review started",
    "withdraw": "Withdrew the submission",
    "assign_mentor": "Assigned a mentor",
    "remove_mentor": "Removed a mentor",
    "declare_conflict": "A mentor declared a conflict of interest",
    "review": "A mentor sent a review",
    "request_changes": "Changes requested",
    "shortlist": "Shortlisted",
    "accept": "Accepted",
    "reject": "Rejected",
}


@register.filter
def status_tag_class(status: str) -> str:
    return STATUS_COLOURS.get(status, "")


@register.filter
def status_label(status: str) -> str:
    """'in_review' -> 'in review': the status as people read it, for the audit trail."""
    from challenges.models import SubmissionStatus

    try:
        return SubmissionStatus(status).label.lower()
    except ValueError:
        return status.replace("_", " ")


@register.filter
def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())


@register.filter
def field_value_is(bound_field, value) -> bool:
    """Whether a bound radio field currently holds this value (to re-check it after an error)."""
    return str(bound_field.value()) == str(value)
