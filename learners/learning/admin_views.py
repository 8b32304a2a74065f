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
    rows = selectors.courses_overview()
    return TemplateResponse(request, "learning/admin/course_analytics_list.html", {"rows": rows})


def course_detail(request, course_id: int):
    """One course: enrolments, completion rate, drop-off by lesson and answer shares."""
    _check(request)
    course = get_object_or_404(CoursePage, pk=course_id)
    return TemplateResponse(
        request,
        "learning/admin/course_analytics_detail.html",
        selectors.course_analytics(course=course),
    )
