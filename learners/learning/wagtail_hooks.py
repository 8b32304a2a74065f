"""Wagtail hooks: record lessons as they are read, and the course analytics admin view."""

from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from courses.models import LessonPage

from . import admin_views, services
from .cmi5 import admin_views as cmi5_admin
from .templatetags.learning_tags import learning_context


def _record_lesson(page, request):
    """An enrolled learner who opens a lesson has experienced it (recorded once); returns their
    progress on its course, or None (not a lesson, not signed in, not enrolled, not a GET).
    """
    if request.method != "GET" or getattr(request, "is_preview", False):
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not isinstance(page, LessonPage):
        return None
    return services.lesson_experience(user=user, lesson=page)


@hooks.register("on_serve_page")
def serve_with_learning(serve):
    """Wrap Wagtail's page serving: record lessons as they are read, and give every page's
    template the learning tags' context (seeded with the progress just read, so the lesson's
    {% course_progress %} does not ask again).

    Registered before Wagtail's own hooks (learners.learning precedes wagtail in
    INSTALLED_APPS), so this runs outside the view-restriction check, like the
    `before_serve_page` hook it replaces.
    """

    def serve_page(page, request, serve_args, serve_kwargs):
        progress = _record_lesson(page, request)
        response = serve(page, request, serve_args, serve_kwargs)
        if (
            isinstance(response, TemplateResponse)
            and not response.is_rendered
            and isinstance(response.context_data, dict)
        ):
            response.context_data.update(learning_context(progress=progress, page=page))
        return response

    return serve_page


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
