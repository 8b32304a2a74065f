"""Skills coverage pages for HR leads and central analysts. Thin: parse, read, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from courses.models import Skill, SkillLevel
from learners.models import Grade, Organisation

from . import exports, selectors, services
from .coverage import ALL, LEVELS
from .forms import (
    MONTH_FORMAT,
    ComparisonForm,
    CoverageFilterForm,
    HeadcountUploadForm,
    SkillTargetForm,
)
from .models import HeadcountRecord, Series, SkillTarget


def _led_department(user, code: str) -> Organisation:
    """Only the department's own HR leads change its targets and headcount."""
    department = Organisation.objects.filter(code=code, hr_leads__user=user).first()
    if department is None:
        raise PermissionDenied("Only an HR lead of this department can change its settings.")
    return department


def _coverage(request, department, *, skills=None):
    """Validate the filters and read the protected figures they select (`skills`: only those
    rows, all of them by default).
    """
    periods = selectors.snapshot_periods(department=department)
    form = CoverageFilterForm(request.GET or None, periods=periods)
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if valid and request.GET else {}
    series = data.get("series") or Series.EVIDENCED
    period = data.get("period")
    grade, profession = data.get("grade"), data.get("profession")
    slice_key = ALL
    if grade:
        slice_key = ("grade", grade.pk)
    elif profession:
        slice_key = ("profession", profession.pk)
    cube = selectors.published_cube(department=department, series=series, period=period)
    rows = selectors.coverage_rows(
        department=department, cube=cube, slice_key=slice_key, skills=skills
    )
    context = {
        "department": department,
        "form": form,
        "valid": valid,
        "series": series,
        "period": period,
        "periods": periods,
        "grade": grade,
        "profession": profession,
        "rows": rows,
        "cube": cube,
        "headcount": cube.headcount(slice_key),
        "platform_grades": Grade.objects.filter(pk__in=cube.platform_grades).order_by("rank"),
        "levels": [SkillLevel(level) for level in LEVELS],
        "rule": selectors.disclosure_rule(),
        "query": request.GET.urlencode() if valid else "",
    }
    context["caption"] = _caption(context)
    return context, valid, data


def _caption(context) -> str:
    parts = [f"Skills coverage: {context['department'].name}"]
    parts.append(dict(Series.choices)[context["series"]] + " levels")
    if context["grade"]:
        parts.append(f"grade {context['grade'].name}")
    if context["profession"]:
        parts.append(f"profession {context['profession'].name}")
    parts.append(context["period"].strftime("%B %Y") if context["period"] else "latest figures")
    return ", ".join(parts)


def _log(request, department, action: str) -> None:
    services.report_access_log(
        user=request.user,
        organisation=department,
        action=action,
        path=request.get_full_path(),
        parameters=dict(request.GET.lists()),
    )


@login_required
def index(request):
    """The departments this person may see; straight to the only one for most HR leads."""
    departments = list(selectors.reportable_departments(request.user))
    analyst = selectors.is_central_analyst(request.user)
    if not departments and not analyst:
        raise PermissionDenied("Skills coverage is for HR leads and central analysts.")
    if len(departments) == 1 and not analyst:
        return redirect("reporting:dashboard", code=departments[0].code)
    return render(request, "reporting/index.html", {"departments": departments, "analyst": analyst})


@login_required
def dashboard(request, code: str):
    """Where is the department short? Its targets by gap, the skills its people's DDaT roles
    require, and a skill's trend; the whole framework is on its own page.
    """
    department = selectors.department_for(request.user, code)
    targets = selectors.department_targets(department=department)
    needs = selectors.role_skill_needs(department=department)
    skills = Skill.objects.filter(pk__in={*targets, *needs}).order_by("name")
    context, valid, data = _coverage(request, department, skills=skills)
    context["shortfall"] = selectors.shortfall_rows(context["rows"])
    context["role_rows"] = selectors.role_rows(context["rows"], needs)
    skill = data.get("skill")
    if skill:
        context["trend_skill"] = skill
        context["trend_level"] = SkillLevel(
            selectors.trend_level(department=department, skill=skill)
        )
        context["trend"] = selectors.skill_trend(
            department=department, skill=skill, series=context["series"]
        )
    context["is_hr_lead"] = department.hr_leads.filter(user=request.user).exists()
    _log(request, department, "view")
    return render(request, "reporting/dashboard.html", context, status=200 if valid else 400)


@login_required
def framework(request, code: str):
    """Every skill of the framework for the department, grouped by DDaT role family."""
    department = selectors.department_for(request.user, code)
    context, valid, _data = _coverage(request, department)
    context["groups"] = selectors.framework_groups(context["rows"])
    _log(request, department, "view-framework")
    return render(request, "reporting/framework.html", context, status=200 if valid else 400)


def _file_name(context) -> str:
    """skills-coverage-<department>-<series>-<grade, profession or all>-<month or latest>."""
    if context["grade"]:
        population = f"grade-{context['grade'].code}"
    elif context["profession"]:
        population = f"profession-{context['profession'].code}"
    else:
        population = "all"
    period = context["period"].strftime(MONTH_FORMAT) if context["period"] else "latest"
    parts = ["skills-coverage", context["department"].code, context["series"], population, period]
    return slugify("-".join(parts))


def _attachment(body: bytes, kind: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    response["Cache-Control"] = "private, no-store"
    return response


CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _export(request, code: str, kind: str):
    department = selectors.department_for(request.user, code)
    context, valid, _data = _coverage(request, department)
    if not valid:
        return render(request, "reporting/framework.html", context, status=400)
    _log(request, department, f"export-{kind}")
    write = exports.coverage_csv if kind == "csv" else exports.coverage_xlsx
    return _attachment(
        write(context["rows"], caption=context["caption"]), kind, _file_name(context)
    )


@login_required
def export_csv(request, code: str):
    """Every skill's figures as CSV; same parameters, same protected figures as the pages."""
    return _export(request, code, "csv")


@login_required
def export_xlsx(request, code: str):
    """Every skill's figures as an Excel workbook; same parameters, same protected figures."""
    return _export(request, code, "xlsx")


def _comparison(request, *, bound: bool):
    """The analyst's comparison: (form, rows, status); rows read each department's cube.
    An export always validates its parameters; the page only once some are given.
    """
    if not selectors.is_central_analyst(request.user):
        raise PermissionDenied("Comparing departments is for central analysts.")
    form = ComparisonForm(request.GET if bound or request.GET else None)
    rows, status = [], 200
    if form.is_bound and form.is_valid():
        skill, level = form.cleaned_data["skill"], form.cleaned_data["level"]
        rows = selectors.department_comparison(skill=skill, level=level)
    elif form.is_bound:
        status = 400
    return form, rows, status


def _compare_page(request, form, rows, status):
    query = request.GET.urlencode() if rows else ""
    return render(
        request,
        "reporting/compare.html",
        {
            "form": form,
            "rows": rows,
            "query": query,
            "caption": exports.comparison_caption(**form.cleaned_data) if rows else "",
            "rule": selectors.disclosure_rule(),
        },
        status=status,
    )


@login_required
def compare(request):
    """Central analysts: every department side by side for one skill at or above a level."""
    form, rows, status = _comparison(request, bound=False)
    if rows:
        _log(request, None, "compare")
    return _compare_page(request, form, rows, status)


def _compare_export(request, kind: str):
    form, rows, status = _comparison(request, bound=True)
    if status != 200:
        return _compare_page(request, form, rows, status)
    _log(request, None, f"compare-export-{kind}")
    skill, level = form.cleaned_data["skill"], form.cleaned_data["level"]
    caption = exports.comparison_caption(skill=skill, level=level)
    write = exports.comparison_csv if kind == "csv" else exports.comparison_xlsx
    name = slugify(f"skills-comparison-{skill.code}-{SkillLevel(level).label}-or-above-latest")
    return _attachment(write(rows, caption=caption), kind, name)


@login_required
def compare_csv(request):
    """The comparison as CSV: the same protected figures as the page."""
    return _compare_export(request, "csv")


@login_required
def compare_xlsx(request):
    """The comparison as an Excel workbook: the same protected figures as the page."""
    return _compare_export(request, "xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def targets(request, code: str):
    """Set the department's skill targets (HR leads of the department only)."""
    department = _led_department(request.user, code)
    form = SkillTargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = services.skill_target_set(
            organisation=department, user=request.user, **form.cleaned_data
        )
        messages.success(request, f"Target for {target.skill.name} saved.")
        return redirect("reporting:targets", code=code)
    status = 400 if request.method == "POST" else 200
    current = SkillTarget.objects.filter(organisation=department).select_related("skill")
    return render(
        request,
        "reporting/targets.html",
        {
            "department": department,
            "form": form,
            "targets": current,
            "skills": Skill.objects.order_by("name"),
            "levels": SkillLevel.choices,
        },
        status=status,
    )


@login_required
@require_POST
def target_remove(request, code: str, skill_code: str):
    """Remove one of the department's skill targets."""
    department = _led_department(request.user, code)
    skill = Skill.objects.filter(code=skill_code).first()
    if skill is not None:
        services.skill_target_remove(organisation=department, skill=skill)
        messages.success(request, f"Target for {skill.name} removed.")
    return redirect("reporting:targets", code=code)


@login_required
@require_http_methods(["GET", "POST"])
def headcount(request, code: str):
    """Upload the department's real headcount by grade (CSV), or go back to platform counts."""
    department = _led_department(request.user, code)
    form = HeadcountUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and request.POST.get("action") == "clear":
        services.settings.headcount_clear(organisation=department)
        messages.success(request, "Headcount now counts your department's learners.")
        return redirect("reporting:headcount", code=code)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored = services.headcount_upload(
                organisation=department, content=upload.read(), user=request.user
            )
        except services.HeadcountUploadError as exc:
            errors = exc.errors
        else:
            messages.success(request, f"Headcount for {stored} grades saved.")
            return redirect(reverse("reporting:dashboard", kwargs={"code": code}))
    status = 400 if request.method == "POST" else 200
    records = HeadcountRecord.objects.filter(organisation=department).select_related("grade")
    return render(
        request,
        "reporting/headcount.html",
        {
            "department": department,
            "form": form,
            "errors": errors,
            "records": records.order_by("grade__rank"),
        },
        status=status,
    )
