"""Staff actions on a cmi5 course in the Wagtail admin (cmi5 10, 9.3.6-7): waive an AU for a
learner's registration with a reason, and abandon a session by its id. For people who may edit
the course; POST with Django's CSRF check for the actions.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from courses.models import CoursePage
from learners.learning.admin_views import can_view_analytics
from learners.learning.models import Enrolment

from .launch import LaunchError, cmi5_session_abandon, cmi5_unit_waive
from .models import Cmi5Session, WaiveReason


def _course(request, course_id: int) -> CoursePage:
    """The cmi5 course, if the person may edit it; 403 for everyone else."""
    course = get_object_or_404(CoursePage, pk=course_id)
    if (
        not can_view_analytics(request.user)
        or not course.permissions_for_user(request.user).can_edit()
    ):
        raise PermissionDenied
    if not hasattr(course, "cmi5_package"):
        raise Http404("This course is not a cmi5 course.")
    return course


class WaiveForm(forms.Form):
    registration = forms.UUIDField(help_text="The learner's registration on this course.")
    unit = forms.ModelChoiceField(queryset=None, label="Assignable unit")
    reason = forms.ChoiceField(choices=WaiveReason.choices)

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        self.fields["unit"].queryset = course.cmi5_package.units.all()

    def clean_registration(self):
        registration = self.cleaned_data["registration"]
        enrolment = Enrolment.objects.filter(registration=registration, course=self.course).first()
        if enrolment is None:
            raise forms.ValidationError("No learner has this registration on this course.")
        return enrolment


class AbandonForm(forms.Form):
    session_id = forms.UUIDField()


def _page(request, course, waive_form=None, status=200):
    sessions = (
        Cmi5Session.objects.filter(enrolment__course=course, state__in=["launched", "initialized"])
        .select_related("unit", "enrolment")
        .order_by("launched_at")
    )
    return TemplateResponse(
        request,
        "learning/admin/cmi5_course.html",
        {
            "course": course,
            "sessions": sessions,
            "waive_form": waive_form or WaiveForm(course=course),
        },
        status=status,
    )


def course_actions(request, course_id: int):
    """The course's open sessions and the waiver form."""
    return _page(request, _course(request, course_id))


@require_POST
def waive(request, course_id: int):
    """Waive an AU for one registration: `waived`, then any `satisfied` it completes."""
    course = _course(request, course_id)
    form = WaiveForm(request.POST, course=course)
    if not form.is_valid():
        return _page(request, course, waive_form=form, status=400)
    try:
        stored = cmi5_unit_waive(
            enrolment=form.cleaned_data["registration"],
            unit=form.cleaned_data["unit"],
            reason=form.cleaned_data["reason"],
        )
    except LaunchError as error:
        form.add_error(None, str(error))
        return _page(request, course, waive_form=form, status=400)
    if stored:
        messages.success(request, f"The AU is waived ({len(stored)} statements recorded).")
    else:
        messages.info(request, "This AU was waived for the registration already.")
    return redirect("cmi5_course_actions", course.pk)


@require_POST
def abandon(request, course_id: int):
    """Abandon one open session of the course by its id."""
    course = _course(request, course_id)
    form = AbandonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the id of a session.")
        return redirect("cmi5_course_actions", course.pk)
    if cmi5_session_abandon(session_id=form.cleaned_data["session_id"], course=course):
        messages.success(request, "The session is abandoned.")
    else:
        messages.error(request, "There is no open session of this course with that id.")
    return redirect("cmi5_course_actions", course.pk)
