from django.urls import path

from . import views

app_name = "learners"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("profile/", views.profile_edit, name="profile"),
    path("accounts/mfa-required/", views.mfa_required, name="mfa_required"),
]
