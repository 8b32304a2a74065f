from django.urls import include, path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/record/", views.learning_record, name="learning_record"),
    path(
        "dashboard/record/download/",
        views.learning_record_download,
        name="learning_record_download",
    ),
    path("dashboard/skills/", views.skills_profile, name="skills_profile"),
    path("learning/courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path(
        "learning/lessons/<int:lesson_id>/checks/<str:block_id>/",
        views.knowledge_check,
        name="knowledge_check",
    ),
    path(
        "learning/assessments/<int:assessment_id>/",
        views.assessment_submit,
        name="assessment_submit",
    ),
    path(
        "learning/assessments/<int:assessment_id>/result/",
        views.assessment_result,
        name="assessment_result",
    ),
    path("certificates/<int:pk>/", views.certificate, name="certificate"),
    path("certificates/<int:pk>/pdf/", views.certificate_download, name="certificate_pdf"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="certificate_verify"),
    path("", include("learners.learning.cmi5.urls")),
]
