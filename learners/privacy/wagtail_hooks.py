"""The personal-data pages in the Wagtail admin's settings menu (administrators only)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem

from .admin_views import (
    AccessLogView,
    PersonalDataIndexView,
    PersonDownloadView,
    PersonEraseView,
    PersonView,
)
from .models import PersonalDataAccess
from .services import audit_record


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    return [
        path("personal-data/", PersonalDataIndexView.as_view(), name="privacy_admin_index"),
        path("personal-data/log/", AccessLogView.as_view(), name="privacy_admin_log"),
        path("personal-data/<int:user_id>/", PersonView.as_view(), name="privacy_admin_person"),
        path(
            "personal-data/<int:user_id>/download/",
            PersonDownloadView.as_view(),
            name="privacy_admin_download",
        ),
        path(
            "personal-data/<int:user_id>/erase/",
            PersonEraseView.as_view(),
            name="privacy_admin_erase",
        ),
    ]


@hooks.register("register_settings_menu_item")
def register_personal_data_menu_item():
    return AdminOnlyMenuItem(
        "Personal data", reverse("privacy_admin_index"), icon_name="user", order=620
    )


@hooks.register("before_edit_user")
def log_user_record_viewed(request, user):
    """Staff opening another person's account in the admin is logged."""
    if request.method == "GET" and user.pk != request.user.pk:
        audit_record(
            actor=request.user,
            subject=user,
            action=PersonalDataAccess.Action.VIEWED,
            detail="account in the admin's users area",
        )
