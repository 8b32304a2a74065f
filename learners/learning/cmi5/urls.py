from django.urls import path

from . import views

urlpatterns = [
    path("learning/cmi5/units/<int:unit_id>/launch/", views.launch, name="cmi5_launch"),
    path("cmi5/fetch/<str:token>/", views.fetch, name="cmi5_fetch"),
    path("cmi5/content/<str:key>/<path:path>", views.content, name="cmi5_content"),
]
