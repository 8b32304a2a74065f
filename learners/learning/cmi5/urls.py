from django.urls import path

from . import api, views

urlpatterns = [
    path("learning/cmi5/units/<int:unit_id>/launch/", views.launch, name="cmi5_launch"),
    path("cmi5/fetch/<str:token>/", views.fetch, name="cmi5_fetch"),
    path("cmi5/content/<str:key>/<path:path>", views.content, name="cmi5_content"),
]

urlpatterns += [
    path("cmi5/automation/courses", api.courses, name="cmi5_api_courses"),
    path("cmi5/automation/courses/<int:course_id>", api.course, name="cmi5_api_course"),
    path(
        "cmi5/automation/courses/<int:course_id>/launches",
        api.launches,
        name="cmi5_api_launches",
    ),
    path("cmi5/automation/courses/<int:course_id>/waive", api.waive, name="cmi5_api_waive"),
    path(
        "cmi5/automation/sessions/<uuid:session_id>/abandon",
        api.abandon,
        name="cmi5_api_abandon",
    ),
]
