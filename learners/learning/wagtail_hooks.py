"""Wagtail hooks: record lessons as they are read, and the course analytics admin view."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from courses.models import LessonPage

from . import admin_views, services
from .cmi5 import admin_views as cmi5_admin
from .templatetags.learning_tags import cache_progress


@hooks.register("before_serve_page")
def record_lesson_experienced(page, request, serve_args, serve_kwargs):
    """An enrolled learner who opens a lesson has experienced it (recorded once).

    Previews and other pages are left alone; returning None lets Wagtail serve the page.
    """
    if request.method != "GET" or getattr(request, "is_preview", False):
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not isinstance(page, LessonPage):
        return None
    progress = services.lesson_experience(user=user, lesson=page)
    if progress is not None:
        # The lesson template's {% course_progress %} reuses it instead of asking again.
        cache_progress(request, progress, page=page)
    return None


@hooks.register("register_admin_urls")
def register_analytics_urls():
    return [
        path("course-analytics/", admin_views.course_list, name="course_analytics"),
        path(
            "course-analytics/<int:course_id>/",
            admin_views.course_detail,
            name="course_analytics_detail",
        ),
        path(
            "cmi5/courses/<int:course_id>/", cmi5_admin.course_actions, name="cmi5_course_actions"
        ),
        path("cmi5/courses/<int:course_id>/waive/", cmi5_admin.waive, name="cmi5_waive"),
        path("cmi5/courses/<int:course_id>/abandon/", cmi5_admin.abandon, name="cmi5_abandon"),
    ]


@hooks.register("register_page_header_buttons")
def cmi5_course_actions_button(page, user, view_name, next_url=None):
    """From a cmi5 course's editor: its sessions and waivers, for people who may edit it."""
    if (
        hasattr(page.specific_deferred, "cmi5_package")
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            "cmi5 sessions and waivers",
            reverse("cmi5_course_actions", args=[page.pk]),
            icon_name="user",
            priority=80,
        )


class AnalyticsMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_view_analytics(request.user)


@hooks.register("register_reports_menu_item")
def register_analytics_menu_item():
    return AnalyticsMenuItem(
        "Course analytics", reverse("course_analytics"), icon_name="table", order=50
    )
