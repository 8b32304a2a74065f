"""Error pages in the GOV.UK style (templates/errors/)."""

from django.shortcuts import render


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # Rendered without request context processors that might themselves fail.
    return render(request, "errors/500.html", status=500)
