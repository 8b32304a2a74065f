"""Course analytics for editors in the Wagtail admin, all derived from statements."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from courses.models import CoursePage

from . import selectors


def can_view_analytics(user) -> bool:
    """Editors of course pages (and superusers) see the analytics."""
    return user.is_active and (user.is_superuser or user.has_perm("courses.change_coursepage"))


def _check(request):
    if not can_view_analytics(request.user):
        raise PermissionDenied


def course_list(request):
    """Every course with its enrolments, completions and completion rate."""
    _check(request)
    rows = [
        row
        for row in selectors.courses_overview()
        if row["course"].permissions_for_user(request.user).can_edit()
    ]
    return TemplateResponse(request, "learning/admin/course_analytics_list.html", {"rows": rows})


def course_detail(request, course_id: int):
    """One course: enrolments, completion rate, drop-off by lesson and answer shares."""
    course = get_object_or_404(CoursePage, pk=course_id)
    _check(request, course)
    return TemplateResponse(
        request,
        "learning/admin/course_analytics_detail.html",
        selectors.course_analytics(course=course),
    )
