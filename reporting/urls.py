from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("compare/", views.compare, name="compare"),
    path("compare/comparison.csv", views.compare_csv, name="compare_csv"),
    path("compare/comparison.xlsx", views.compare_xlsx, name="compare_xlsx"),
    path("<str:code>/", views.dashboard, name="dashboard"),
    path("<str:code>/skills/", views.framework, name="framework"),
    path("<str:code>/coverage.csv", views.export_csv, name="export_csv"),
    path("<str:code>/coverage.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<str:code>/targets/", views.targets, name="targets"),
    path("<str:code>/targets/<slug:skill_code>/remove/", views.target_remove, name="target_remove"),
    path("<str:code>/headcount/", views.headcount, name="headcount"),
]
