"""The learner's pages: enrol, answer, assess, dashboard, record, certificates, skills."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from courses.models import AssessmentPage, CoursePage, LessonPage, Skill, SkillLevel

from . import results, selectors, services
from .certificates import certificate_pdf
from .templatetags.learning_tags import learning_context

RECORD_PAGE_SIZE = 50


def _live(model, pk):
    return get_object_or_404(model.objects.live().public(), pk=pk)


def _render_page(request, page, extra: dict, status: int):
    """Render a Wagtail page's own template with extra context (a refused form post)."""
    context = page.get_context(request)
    context.update(learning_context())
    context.update(extra)
    return TemplateResponse(request, page.get_template(request), context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request, course_id: int):
    """Enrol the learner on a course, then take them to it (or back to the lesson they were on).

    A GET (a reloaded or bookmarked address) goes to the course page, where the button is.
    """
    course = _live(CoursePage, course_id)
    if request.method == "GET":
        return redirect(course.url)
    try:
        services.enrolment_create(user=request.user, course=course)
    except services.LearningError as error:
        return _render_page(request, course, {"enrol_error": error.message}, status=400)
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    progress = selectors.course_progress(user=request.user, course=course)
    return redirect(progress.resume_page.url)


@login_required
@require_http_methods(["GET", "POST"])
def knowledge_check(request, lesson_id: int, block_id: str):
    """Record the answer to a knowledge check, then show its feedback on the lesson (a GET
    of this address, reloaded or bookmarked, goes there too).
    """
    lesson = _live(LessonPage, lesson_id)
    if request.method == "GET":
        return redirect(f"{lesson.url}#check-{block_id}-heading")
    chosen = request.POST.getlist("answer")
    try:
        services.knowledge_check_answer(
            user=request.user, lesson=lesson, block_id=block_id, chosen=chosen
        )
    except services.LearningError as error:
        return _render_page(
            request,
            lesson,
            {"check_errors": {block_id: error.message}, "check_posted": {block_id: chosen}},
            status=400,
        )
    return redirect(f"{lesson.url}#check-{block_id}-heading")


@login_required
@require_http_methods(["GET", "POST"])
def assessment_submit(request, assessment_id: int):
    """Mark an attempt at the assessment, then redirect to its results (Post/Redirect/Get);
    refused attempts change nothing and show the form again with the errors. A GET of this
    address (reloaded or bookmarked) goes to the assessment page.
    """
    assessment = _live(AssessmentPage, assessment_id)
    if request.method == "GET":
        return redirect(assessment.url)
    prefix = "question-"
    answers = {
        key.removeprefix(prefix): request.POST.getlist(key)
        for key in request.POST
        if key.startswith(prefix)
    }
    try:
        services.assessment_submit(user=request.user, assessment=assessment, answers=answers)
    except services.LearningError as error:
        return _render_page(
            request,
            assessment,
            {
                "assessment_errors": error.field_errors,
                "assessment_error": error.message,
                "assessment_posted": answers,
            },
            status=400,
        )
    return redirect("learners:assessment_result", assessment_id=assessment.pk)


@login_required
@require_GET
def assessment_result(request, assessment_id: int):
    """The learner's last attempt: score, pass mark, each question right or not with its
    feedback, and what to do next. Before any attempt, the assessment page itself.
    """
    assessment = _live(AssessmentPage, assessment_id)
    result = results.assessment_result(user=request.user, assessment=assessment)
    if result is None:
        return redirect(assessment.url)
    return render(
        request,
        "learning/assessment_result.html",
        {"result": result, "breadcrumbs": assessment.breadcrumbs()},
    )


@login_required
def dashboard(request):
    """The learner's home: courses in progress and completed, recommendations, certificates."""
    return render(
        request, "learning/dashboard.html", {"dashboard": selectors.dashboard(user=request.user)}
    )


@login_required
@require_GET
def learning_record(request):
    """Every statement about the learner, readable, newest first."""
    statements = Paginator(selectors.learning_record(user=request.user), RECORD_PAGE_SIZE)
    page = statements.get_page(request.GET.get("page"))
    rows = [_readable(statement) for statement in page]
    return render(request, "learning/record.html", {"page_obj": page, "rows": rows})


def _readable(statement) -> dict:
    data = statement.exact_json()
    verb = data.get("verb", {})
    target = data.get("object", {})
    definition = target.get("definition") or {}
    names = definition.get("name") or {}
    result = data.get("result") or {}
    score = (result.get("score") or {}).get("scaled")
    return {
        "id": data.get("id"),
        "timestamp": statement.timestamp,
        "verb": next(iter((verb.get("display") or {}).values()), verb.get("id", "")),
        "object": next(iter(names.values()), target.get("id", "")),
        "success": result.get("success"),
        "completion": result.get("completion"),
        "score": None if score is None else round(score * 100),
        "response": result.get("response"),
    }


@login_required
@require_GET
def learning_record_download(request):
    """The learner's statements as a JSON file (xAPI statement objects, newest first)."""
    statements = [s.exact_json() for s in selectors.learning_record(user=request.user).iterator()]
    response = JsonResponse({"statements": statements}, json_dumps_params={"indent": 2})
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="learning-record-{stamp}.json"'
    return response


def _own_certificate(request, pk: int):
    certificate = selectors.certificate_for(user=request.user, pk=pk)
    if certificate is None:
        raise Http404("No such certificate")
    return certificate


@login_required
@require_GET
def certificate(request, pk: int):
    """The learner's own certificate, with its public verification address."""
    certificate = _own_certificate(request, pk)
    verify_url = request.build_absolute_uri(certificate_verify_path(certificate.verification_code))
    return render(
        request,
        "learning/certificate.html",
        {"certificate": certificate, "verify_url": verify_url},
    )


def certificate_verify_path(code: str) -> str:
    """The public verification path of a certificate."""
    return reverse("learners:certificate_verify", args=[code])


@login_required
@require_GET
def certificate_download(request, pk: int):
    """The learner's own certificate as a PDF."""
    certificate = _own_certificate(request, pk)
    verify_url = request.build_absolute_uri(certificate_verify_path(certificate.verification_code))
    response = HttpResponse(
        certificate_pdf(certificate=certificate, verify_url=verify_url),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.pk}.pdf"'
    return response


@require_GET
def certificate_verify(request, code: str):
    """Public: anyone with the address sees holder, course, date and validity; nothing else."""
    certificate = selectors.certificate_by_code(code=code)
    if certificate is None:
        raise Http404("No such certificate")
    response = render(request, "learning/certificate_verify.html", {"certificate": certificate})
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def skills_profile(request):
    """Required, evidenced and self-assessed levels of the learner's role skills."""
    errors = {}
    if request.method == "POST":
        skill = Skill.objects.filter(code=request.POST.get("skill", "")).first()
        raw = request.POST.get("level", "")
        if skill is None:
            errors["skill"] = "Select a skill from your profile"
        else:
            try:
                level = None if raw == "none" else int(raw)
                services.self_assessment_set(user=request.user, skill=skill, level=level)
            except (ValueError, services.LearningError):
                errors[skill.code] = services.LEVEL_INVALID
            else:
                messages.success(request, f"Your self-assessment of {skill.name} has been saved.")
                return redirect(f"{request.path}#skill-{skill.code}")
    context = selectors.skills_profile(user=request.user)
    context.update(errors=errors, levels=list(SkillLevel))
    return render(request, "learning/skills_profile.html", context, status=400 if errors else 200)
