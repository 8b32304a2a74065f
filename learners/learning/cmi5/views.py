"""Launch (signed-in learners), the fetch URL (the AU, by its one-time token) and the package
files (loaded by the AU without the platform's session).
"""

import mimetypes
import posixpath

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from courses.models import Cmi5AssignableUnit, Cmi5Package
from courses.services.cmi5 import content_storage_name

from .launch import LaunchError, cmi5_launch
from .tokens import FetchError, fetch_redeem

# Package JavaScript runs in an opaque origin: it cannot read the platform's pages or cookies,
# and reaches the LRS only with its AU token (cmi5 8.2), never with the learner's session.
CONTENT_SECURITY_POLICY = (
    "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads"
)


@login_required
@require_POST
def launch(request, unit_id: int):
    """Launch an AU: a registration per enrolment, LaunchData, `launched`, then the AU."""
    unit = get_object_or_404(
        Cmi5AssignableUnit.objects.select_related("package__course"), pk=unit_id
    )
    course = unit.package.course
    if not course.live:
        raise Http404("No such course")
    mode = request.POST.get("mode", "Normal")
    try:
        url = cmi5_launch(
            user=request.user,
            unit=unit,
            launch_mode=mode,
            return_url=f"{settings.SITE_BASE_URL}{course.url}",
        )
    except LaunchError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain")
    return redirect(url)


def _cors(response, request):
    response["Access-Control-Allow-Origin"] = request.headers.get("Origin") or "*"
    response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Content-Type"
    response["Vary"] = "Origin"
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
def fetch(request, token: str):
    """The fetch URL (cmi5 8.2): POST only, once; error codes as strings, as the spec says."""
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204), request)
    if request.method != "POST":
        response = JsonResponse({"error-code": "3", "error-text": "Use POST."}, status=405)
        response["Allow"] = "POST, OPTIONS"
        return _cors(response, request)
    try:
        body = {"auth-token": fetch_redeem(token)}
    except FetchError as error:
        body = {"error-code": error.code, "error-text": error.text}
    return _cors(JsonResponse(body), request)


def content(request, key: str, path: str):
    """A file of a package, by its unguessable content key; no sign-in needed."""
    package = Cmi5Package.objects.filter(content_key=key).only("pk", "content_key", "files").first()
    normalised = posixpath.normpath(path)
    if package is None or normalised != path or normalised not in package.files:
        raise Http404("No such file")
    storage = storages["private"]
    content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = FileResponse(
        storage.open(content_storage_name(package, path)), content_type=content_type
    )
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response["Cache-Control"] = "private, max-age=300"
    response["Referrer-Policy"] = "no-referrer"
    return response
