"""Reads of the curriculum for pages, other apps and the benchmarks."""

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When

from .forms import DURATIONS, CatalogueForm
from .models import AssessmentPage, CoursePage, CourseSkill, LessonPage, Skill

CATALOGUE_PAGE_SIZE = 10


def live_courses(*, index=None):
    """Live, public courses (under one catalogue if given), with their skills prefetched."""
    courses = CoursePage.objects.live().public()
    if index is not None:
        courses = courses.child_of(index)
    return courses.prefetch_related(
        Prefetch("course_skills", queryset=CourseSkill.objects.select_related("skill"))
    )


def catalogue_facets(*, index) -> dict:
    """The skills and professions the live courses of a catalogue offer, for its filters."""
    course_ids = CoursePage.objects.live().child_of(index).values("pk")
    skills = Skill.objects.filter(
        pk__in=CourseSkill.objects.filter(course__in=course_ids).values("skill")
    ).only("code", "name")
    through = CoursePage.audience_professions.through
    profession_model = CoursePage._meta.get_field("audience_professions").related_model
    professions = profession_model.objects.filter(
        pk__in=through.objects.filter(coursepage__in=course_ids).values("profession")
    ).only("code", "name")
    return {"skills": list(skills), "professions": list(professions)}


def catalogue_search_ids(*, index, query: str) -> list[int]:
    """Ids of the catalogue's live courses matching the query, best match first."""
    results = CoursePage.objects.live().child_of(index).search(query, operator="and")
    return [page.pk for page in results]


def catalogue_page(*, index, params) -> dict:
    """The catalogue's context: the filter form, the matching courses (one page) and errors.

    Invalid parameters never fail the page: each is reported in the error summary and ignored,
    and the valid ones still apply.
    """
    facets = catalogue_facets(index=index)
    form = CatalogueForm(params, skills=facets["skills"], professions=facets["professions"])
    form.is_valid()
    query = form.cleaned("q", "").strip()
    courses = live_courses(index=index)

    skills = form.cleaned("skill", [])
    levels = form.cleaned("level", [])
    if skills and levels:
        courses = courses.filter(
            course_skills__skill__code__in=skills, course_skills__level__in=levels
        )
    elif skills:
        courses = courses.filter(course_skills__skill__code__in=skills)
    elif levels:
        courses = courses.filter(course_skills__level__in=levels)
    durations = form.cleaned("duration", [])
    if durations:
        wanted = Q()
        for key in durations:
            _, shortest, longest = DURATIONS[key]
            bounds = Q()
            if shortest is not None:
                bounds &= Q(duration_minutes__gte=shortest)
            if longest is not None:
                bounds &= Q(duration_minutes__lte=longest)
            wanted |= bounds
        courses = courses.filter(wanted)
    professions = form.cleaned("profession", [])
    if professions:
        courses = courses.filter(audience_professions__code__in=professions)
    if skills or levels or professions:
        courses = courses.distinct()

    sort = form.cleaned("sort") or ("relevance" if query else "title")
    if query:
        hits = catalogue_search_ids(index=index, query=query)
        courses = courses.filter(pk__in=hits)
        if sort == "relevance":
            rank = Case(
                *[When(pk=pk, then=Value(position)) for position, pk in enumerate(hits)],
                output_field=IntegerField(),
            )
            courses = (
                courses.annotate(search_rank=rank).order_by("search_rank") if hits else courses
            )
    if sort == "relevance" and not query:
        sort = "title"
    if sort == "title":
        courses = courses.order_by("title", "pk")
    elif sort == "shortest":
        courses = courses.order_by("duration_minutes", "title", "pk")
    elif sort == "newest":
        courses = courses.order_by("-first_published_at", "pk")

    paginator = Paginator(courses, CATALOGUE_PAGE_SIZE)
    number = form.cleaned("page", 1)
    if number > paginator.num_pages:
        form.add_error(
            "page",
            f"There is no page {number}: there are {paginator.num_pages} pages of results",
        )
        number = 1
    page = paginator.page(number)
    return {
        "form": form,
        "query": query,
        "sort": sort,
        "courses": page,
        "paginator": paginator,
        "pagination": pagination_items(page),
        "filters_applied": bool(skills or levels or durations or professions),
    }


def pagination_items(page) -> list:
    """GOV.UK pagination items: first, last, current and its neighbours, ellipses between."""
    last = page.paginator.num_pages
    wanted = sorted(
        {1, last, page.number - 1, page.number, page.number + 1} & set(range(1, last + 1))
    )
    items, previous = [], 0
    for number in wanted:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "current": number == page.number})
        previous = number
    return items


def course_outline(*, course) -> dict:
    """A course's lessons in order and its assessment."""
    return {"lessons": list(course.lessons()), "assessment": course.assessment()}


def courses_by_ids(*, ids) -> dict:
    """Live courses by id with their skills, for the learner's pages."""
    return {course.pk: course for course in live_courses().filter(pk__in=ids)}


def lessons_of_courses(*, courses) -> dict[int, list]:
    """The live lessons of each course, in order, in one query."""
    courses = list(courses)
    if not courses:
        return {}
    by_path = Q()
    for course in courses:
        by_path |= Q(path__startswith=course.path, depth__gt=course.depth)
    lessons = (
        LessonPage.objects.live()
        .filter(by_path)
        .only("id", "title", "path", "depth", "url_path", "translation_key")
        .order_by("path")
    )
    result: dict[int, list] = {course.pk: [] for course in courses}
    for lesson in lessons:
        owner = next(c for c in courses if lesson.path.startswith(c.path))
        result[owner.pk].append(lesson)
    return result


def assessments_of_courses(*, courses) -> dict[int, AssessmentPage]:
    """The live assessment of each course, in one query."""
    courses = list(courses)
    if not courses:
        return {}
    by_path = Q()
    for course in courses:
        by_path |= Q(path__startswith=course.path, depth=course.depth + 1)
    result = {}
    for assessment in AssessmentPage.objects.live().filter(by_path).order_by("path"):
        owner = next(c for c in courses if assessment.path.startswith(c.path))
        result.setdefault(owner.pk, assessment)
    return result


def courses_building_skills(*, skill_levels: dict[int, int], exclude_ids=()) -> list:
    """Live courses that build any of the skills to at least the wanted level."""
    if not skill_levels:
        return []
    wanted = Q()
    for skill_id, level in skill_levels.items():
        wanted |= Q(course_skills__skill_id=skill_id, course_skills__level__gte=level)
    return list(live_courses().filter(wanted).exclude(pk__in=list(exclude_ids)).distinct())
