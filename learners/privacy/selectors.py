"""Reads of the personal-data app."""

from .models import PersonalDataAccess, SubjectAccessRequest


def access_requests_for(*, user):
    """The person's own download requests, newest first."""
    return SubjectAccessRequest.objects.filter(subject=user, requested_by=user)


def access_request_for(*, user, key) -> SubjectAccessRequest | None:
    """A download the user may see: their own, or one they asked for as an administrator."""
    access_request = SubjectAccessRequest.objects.select_related("subject").filter(key=key).first()
    if access_request is None:
        return None
    if access_request.subject_id == user.pk and access_request.requested_by_id == user.pk:
        return access_request
    if user.is_superuser and access_request.requested_by_id == user.pk:
        return access_request
    return None


def access_log(*, subject=None):
    """The audit log of personal-data handling, newest first; one person's if given."""
    rows = PersonalDataAccess.objects.select_related("actor", "subject")
    return rows.filter(subject=subject) if subject is not None else rows
