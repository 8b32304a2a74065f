"""Error pages in the GOV.UK style (templates/errors/)."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def bad_request(request, exception=None):
    """400: a malformed request (for example a disallowed Host header when DEBUG is off)."""
    return render(request, "errors/400.html", status=400)


def csrf_failure(request, reason=""):
    """403 for a form whose CSRF check failed: say how to recover; nothing was saved."""
    return render(request, "errors/csrf.html", status=403)


@requires_csrf_token
def permission_denied(request, exception=None):
    """403: the user is known but may not see this page."""
    return render(request, "errors/403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    """404: nothing at this address."""
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def server_error(request):
    """500: rendered without the request, so no context processor (user, session, database)
    can fail a second time while reporting the first failure.
    """
    return HttpResponseServerError(loader.get_template("errors/500.html").render({}))
