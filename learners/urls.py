from django.urls import include, path

from . import views

app_name = "learners"
urlpatterns = [
    path("", include("learners.learning.urls")),
    path("profile/", views.profile_edit, name="profile"),
    path("accounts/mfa-required/", views.mfa_required, name="mfa_required"),
]
