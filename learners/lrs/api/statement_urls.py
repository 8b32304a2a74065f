from django.urls import path

from .statements import statements

urlpatterns = [
    path("statements", statements, name="statements"),
]
