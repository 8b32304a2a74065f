"""The cmi5 automation API, for an outside conformance harness (issue 15, Deliver 8).

Authenticated with an LRS client's HTTP Basic credentials holding the admin-granted
`cmi5/automation` scope. Every answer is JSON; refusals name what is wrong. Documented in the
README ("cmi5 automation API").
"""

import json
import uuid
from functools import wraps

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from courses.models import CourseIndexPage, CoursePage
from courses.services.cmi5 import PackageError, cmi5_course_delete, cmi5_package_import
from learners.learning.models import Enrolment
from learners.lrs.auth import AuthenticationFailed, authenticate
from learners.lrs.models import Scope

from .automation import automation_launch
from .launch import LaunchError, cmi5_session_abandon, cmi5_unit_waive
from .models import LaunchMode, WaiveReason


def _error(status: int, code: str, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": code, "message": message, **extra}, status=status)


def automation_endpoint(view):
    """Basic credentials of an LRS client with the cmi5/automation scope; CSRF does not apply
    (no cookie is used).
    """

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            auth = authenticate(request, request.headers.get("Authorization"))
        except AuthenticationFailed as error:
            response = _error(401, "unauthorized", str(error))
            response["WWW-Authenticate"] = 'Basic realm="cmi5 automation"'
            return response
        if auth.client is None or Scope.CMI5_AUTOMATION not in auth.scopes:
            return _error(403, "forbidden", "These credentials lack the cmi5/automation scope.")
        return view(request, *args, **kwargs)

    return wrapper


def _json_body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        raise LaunchError("The body must be a JSON object.")
    return body


def _cmi5_course(course_id: int) -> CoursePage | None:
    return CoursePage.objects.filter(pk=course_id, cmi5_package__isnull=False).first()


@automation_endpoint
@require_http_methods(["POST"])
def courses(request):
    """POST the package's raw bytes (a zip, or a cmi5.xml with absolute AU URLs): 201 with the
    published course; 400 `invalid-package` naming the rule it breaks, storing nothing.
    """
    catalogue = CourseIndexPage.objects.first()
    if catalogue is None:
        return _error(409, "no-catalogue", "The site has no course catalogue to import into.")
    try:
        page = cmi5_package_import(data=request.body, parent=catalogue)
    except PackageError as error:
        return _error(400, "invalid-package", error.message, rule=error.rule)
    page.save_revision().publish()
    page.refresh_from_db()
    units = page.cmi5_package.units.all()
    return JsonResponse(
        {
            "id": page.pk,
            "url": page.full_url,
            "publisherId": page.cmi5_package.publisher_id,
            "aus": [{"index": u.position, "publisherId": u.publisher_id} for u in units],
        },
        status=201,
    )


@automation_endpoint
@require_http_methods(["DELETE"])
def course(request, course_id: int):
    """DELETE an imported course with its package files: 204, or 404."""
    page = _cmi5_course(course_id)
    if page is None:
        return _error(404, "not-found", "There is no cmi5 course with this id.")
    cmi5_course_delete(course=page)
    return HttpResponse(status=204)


@automation_endpoint
@require_http_methods(["POST"])
def launches(request, course_id: int):
    """POST {"au": index, "actor": {...}, "registration"?: uuid, "launchMode"?: "Normal"}: the
    launch happens as for a learner (LaunchData, `launched`); 201 with the AU's URL.
    """
    page = _cmi5_course(course_id)
    if page is None:
        return _error(404, "not-found", "There is no cmi5 course with this id.")
    try:
        body = _json_body(request)
        index = body.get("au")
        if isinstance(index, bool) or not isinstance(index, int):
            raise LaunchError('"au" must be the AU\'s index (an integer from 0).')
        url, session = automation_launch(
            course=page,
            position=index,
            actor=body.get("actor"),
            registration=body.get("registration"),
            launch_mode=body.get("launchMode", LaunchMode.NORMAL),
        )
    except LaunchError as error:
        return _error(400, "invalid-launch", str(error))
    return JsonResponse(
        {
            "url": url,
            "registration": str(session.enrolment.registration),
            "sessionId": str(session.session_id),
        },
        status=201,
    )


@automation_endpoint
@require_http_methods(["POST"])
def waive(request, course_id: int):
    """POST {"registration": uuid, "au": index, "reason"?: "Administrative"}: 200 with the ids
    of the statements stored (`waived`, then any `satisfied`; none when waived already).
    """
    page = _cmi5_course(course_id)
    if page is None:
        return _error(404, "not-found", "There is no cmi5 course with this id.")
    try:
        body = _json_body(request)
        try:
            registration = uuid.UUID(str(body.get("registration")))
        except ValueError as error:
            raise LaunchError('"registration" must be a UUID.') from error
        enrolment = Enrolment.objects.filter(course=page, registration=registration).first()
        unit = page.cmi5_package.units.filter(position=body.get("au", -1)).first()
        if enrolment is None or unit is None:
            raise LaunchError("No such registration or AU on this course.")
        ids = cmi5_unit_waive(
            enrolment=enrolment,
            unit=unit,
            reason=body.get("reason", WaiveReason.ADMINISTRATIVE),
        )
    except (LaunchError, TypeError, ValueError) as error:
        return _error(400, "invalid-waiver", str(error))
    return JsonResponse({"statements": ids})


@automation_endpoint
@require_http_methods(["POST"])
def abandon(request, session_id: uuid.UUID):
    """POST: abandon an open session (one `abandoned` statement); 404 if none is open."""
    if not cmi5_session_abandon(session_id=session_id):
        return _error(404, "not-found", "There is no open session with this id.")
    return JsonResponse({"abandoned": str(session_id)})
