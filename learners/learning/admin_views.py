"""Course analytics for editors in the Wagtail admin, all derived from statements."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from wagtail.permission_policies.pages import PagePermissionPolicy

from courses.models import CoursePage

from . import selectors


def can_view_analytics(user) -> bool:
    """People who may edit pages somewhere in the tree (Wagtail page permissions)."""
    return user.is_active and PagePermissionPolicy().user_has_any_permission(
        user, ["add", "change", "publish"]
    )


def _check(request, course=None):
    if not can_view_analytics(request.user):
        raise PermissionDenied
    if course is not None and not course.permissions_for_user(request.user).can_edit():
        raise PermissionDenied


def course_list(request):
    """Every course the editor may edit, with the figures its own page shows."""
    _check(request)
    courses = [
        course
        for course in CoursePage.objects.order_by("title")
        if course.permissions_for_user(request.user).can_edit()
    ]
    rows = selectors.courses_overview(courses=courses)
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
