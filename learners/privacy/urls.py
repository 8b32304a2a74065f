from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("account/your-data/", views.your_data, name="your_data"),
    path("account/your-data/download/", views.download_request, name="download_request"),
    path("account/your-data/<str:key>/", views.download_status, name="download_status"),
    path("account/your-data/<str:key>/download/", views.download_file, name="download_file"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("account/deleted/", views.account_deleted, name="account_deleted"),
]
