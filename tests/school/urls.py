"""The project's URLs plus two views that fail on purpose, for the error page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from school.urls import handler400, handler403, handler404, handler500
from school.urls import urlpatterns as project_urlpatterns


def forbidden(request):
    raise PermissionDenied


def bad(request):
    raise SuspiciousOperation("tampered")


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("test-errors/forbidden/", forbidden),
    path("test-errors/bad/", bad),
    path("test-errors/broken/", broken),
    *project_urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
