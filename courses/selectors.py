"""Reads of the curriculum for pages, other apps and the benchmarks."""

import hashlib

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.http.request import split_domain_port
from django.utils.translation import ngettext
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from .cache import cached_entries
from .forms import DURATIONS, CatalogueForm
from .models import AssessmentPage, CoursePage, CourseSkill, LessonPage, Skill
from .models.pages import LESSON_LIST_FIELDS

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
    """The skills and professions the live courses of a catalogue offer, for its filters
    (from the structure cache: they change only when courses, skills or professions do).
    """
    return cached_entries("facets", [index.pk], lambda ids: {index.pk: _facets(index=index)})[
        index.pk
    ]


def _facets(*, index) -> dict:
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
    """Ids of the catalogue's live courses matching the query, best match first: courses
    matching by their own text, then those with a live, public lesson that does ("GDPR" finds
    the course whose lesson is about it).
    """
    ids = [
        page.pk for page in CoursePage.objects.live().child_of(index).search(query, operator="and")
    ]
    lessons = LessonPage.objects.live().public().descendant_of(index).search(query, operator="and")
    # A course is a child of the catalogue, so its path is the start of its lessons' paths.
    course_path_length = (index.depth + 1) * CoursePage.steplen
    course_paths = list(dict.fromkeys(lesson.path[:course_path_length] for lesson in lessons))
    if course_paths:
        by_path = dict(
            CoursePage.objects.live().filter(path__in=course_paths).values_list("path", "pk")
        )
        ids += [
            by_path[path] for path in course_paths if path in by_path and by_path[path] not in ids
        ]
    return ids


def catalogue_page(*, index, params) -> dict:
    """The catalogue's context: the filter form, the matching courses (one page) and errors.

    Invalid parameters never fail the page: each is reported in the error summary and ignored,
    and the valid ones still apply. The matches (their count and the page shown) are kept in
    the structure cache by their normalised filters: they change only when courses do.
    """
    facets = catalogue_facets(index=index)
    form = CatalogueForm(params, skills=facets["skills"], professions=facets["professions"])
    form.is_valid()
    query = form.cleaned("q", "").strip()
    skills = sorted(form.cleaned("skill", []))
    levels = sorted(form.cleaned("level", []))
    durations = sorted(form.cleaned("duration", []))
    professions = sorted(form.cleaned("profession", []))
    sort = form.cleaned("sort") or ("relevance" if query else "title")
    if sort == "relevance" and not query:
        sort = "title"
    requested = form.cleaned("page", 1)

    selection = repr((query, skills, levels, durations, professions, sort, requested))
    cache_id = f"{index.pk}:{hashlib.sha256(selection.encode()).hexdigest()[:32]}"

    def compute(ids):
        courses = _catalogue_matches(
            index=index,
            query=query,
            skills=skills,
            levels=levels,
            durations=durations,
            professions=professions,
            sort=sort,
        )
        paginator = Paginator(courses, CATALOGUE_PAGE_SIZE)
        number = requested if requested <= paginator.num_pages else 1
        matches = {
            "count": paginator.count,
            "number": number,
            "courses": list(paginator.page(number).object_list),
        }
        return {cache_id: matches}

    matches = cached_entries("catalogue", [cache_id], compute)[cache_id]
    paginator = Paginator(_MatchesPage(matches["count"], matches["courses"]), CATALOGUE_PAGE_SIZE)
    if requested > paginator.num_pages:
        form.add_error(
            "page",
            f"There is no page {requested}: there "
            + ngettext("is %d page", "are %d pages", paginator.num_pages) % paginator.num_pages
            + " of results",
        )
    page = paginator.page(matches["number"])
    return {
        "form": form,
        "query": query,
        "sort": sort,
        "courses": page,
        "paginator": paginator,
        "pagination": pagination_items(page),
        "filters_applied": bool(skills or levels or durations or professions),
    }


class _MatchesPage:
    """The catalogue's matches as a Paginator sees them: their count, and the one page of
    courses it was built for.
    """

    def __init__(self, count: int, courses: list):
        self._count = count
        self._courses = courses

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key):
        return self._courses


def _catalogue_matches(*, index, query, skills, levels, durations, professions, sort):
    """The catalogue's live courses matching the filters, in the order asked for."""
    courses = live_courses(index=index)
    if skills:
        courses = courses.filter(course_skills__skill__code__in=skills)
    if levels:
        # The course's own level, which its card shows: a Working course that also touches a
        # skill at Awareness is not an Awareness course.
        courses = courses.filter(level__in=levels)
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
    if professions:
        courses = courses.filter(audience_professions__code__in=professions)
    if skills or professions:
        courses = courses.distinct()

    if query:
        hits = catalogue_search_ids(index=index, query=query)
        courses = courses.filter(pk__in=hits)
        if sort == "relevance" and hits:
            rank = Case(
                *[When(pk=pk, then=Value(position)) for position, pk in enumerate(hits)],
                output_field=IntegerField(),
            )
            courses = courses.annotate(search_rank=rank).order_by("search_rank")
    if sort == "title":
        courses = courses.order_by("title", "pk")
    elif sort == "shortest":
        courses = courses.order_by("duration_minutes", "title", "pk")
    elif sort == "newest":
        courses = courses.order_by("-first_published_at", "pk")
    return courses


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


# --- The published structure, from the structure cache (see courses.cache) --------------------


def site_for_request(request):
    """The Wagtail site serving this request's host and port (Wagtail's own matching rules),
    with its root page as its specific type, or None; kept in the structure cache.

    `get_host()` checks ALLOWED_HOSTS; CommonMiddleware, which runs first, has already refused
    a request for any other host.
    """
    hostname = split_domain_port(request.get_host())[0]
    port = request.get_port()
    cache_id = hashlib.sha256(f"{hostname}:{port}".encode()).hexdigest()[:32]

    def compute(ids):
        try:
            site = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            return {cache_id: False}
        site.root_page = site.root_page.specific
        return {cache_id: site}

    return cached_entries("site", [cache_id], compute)[cache_id] or None


def page_at(*, root, path_components):
    """The page at `path_components` below `root`, as its specific type, or None.

    One indexed lookup (slug, depth, path prefix and full URL path) rather than one query per
    level; the page found is kept in the structure cache, so a hit costs no query.
    """
    url_path = f"{root.url_path}{'/'.join(path_components)}/"
    digest = hashlib.sha256(url_path.encode()).hexdigest()[:32]
    cache_id = f"{root.pk}:{digest}"

    def compute(ids):
        found = Page.objects.filter(
            slug=path_components[-1],
            depth=root.depth + len(path_components),
            path__startswith=root.path,
            url_path=url_path,
        ).first()
        # False remembers "no such page": Wagtail's own routing then answers.
        return {cache_id: found.specific if found is not None else False}

    return cached_entries("page", [cache_id], compute)[cache_id] or None


def view_restrictions(*, page, uncached):
    """The view restrictions of a page and its ancestors (Wagtail's get_view_restrictions,
    passed as `uncached`), as a queryset: empty without a query when there are none, which the
    structure cache remembers (a restriction's change replaces its token).
    """
    if not page.pk or not page.path:
        return uncached()

    def compute(ids):
        return {page.pk: list(uncached().values_list("pk", flat=True))}

    restriction_ids = cached_entries("restrictions", [page.pk], compute)[page.pk]
    if not restriction_ids:
        return PageViewRestriction.objects.none()
    return PageViewRestriction.objects.filter(pk__in=restriction_ids)


def page_place(*, page) -> dict:
    """Where a page sits: its course (the page itself for a course, None outside courses) and
    its breadcrumbs (ancestors below the root: titles and links).
    """
    if not page.pk or not page.path:
        # A page being previewed before its first save has no place in the tree yet.
        return {"course": None, "breadcrumbs": []}

    def compute(ids):
        ancestors = Page.objects.ancestor_of(page).filter(depth__gt=1)
        if isinstance(page, CoursePage):
            course = page
        else:
            course = CoursePage.objects.ancestor_of(page).first()
        return {
            page.pk: {
                "course": course,
                "breadcrumbs": list(ancestors.only("title", "url_path")),
            }
        }

    return cached_entries("place", [page.pk], compute)[page.pk]


def course_outlines(*, courses) -> dict[int, tuple[list, AssessmentPage | None]]:
    """Each course's live lessons in reading order (titles, links and activity keys) and its
    live assessment (without its questions, which load when read), by course id.
    """
    by_pk = {course.pk: course for course in courses}

    def compute(ids):
        missing = [by_pk[pk] for pk in ids]
        lessons = lessons_of_courses(courses=missing)
        assessments = assessments_of_courses(courses=missing)
        return {pk: (lessons[pk], assessments.get(pk)) for pk in ids}

    return cached_entries("outline", list(by_pk), compute)


def courses_with_outlines(*, ids) -> dict[int, tuple]:
    """Courses by id (live or not) with their outlines: {id: (course, lessons, assessment)}
    (see course_outlines); ids that are not courses are left out.
    """

    def compute(missing):
        courses = list(CoursePage.objects.filter(pk__in=missing))
        lessons = lessons_of_courses(courses=courses)
        assessments = assessments_of_courses(courses=courses)
        found = {c.pk: (c, lessons[c.pk], assessments.get(c.pk)) for c in courses}
        return {pk: found.get(pk, ()) for pk in missing}

    entries = cached_entries("course-outline", list(ids), compute)
    return {pk: entry for pk, entry in entries.items() if entry}


def lessons_of_courses(*, courses) -> dict[int, list]:
    """The live lessons of each course, in order, in one query."""
    courses = list(courses)
    if not courses:
        return {}
    by_path = Q()
    for course in courses:
        by_path |= Q(path__startswith=course.path, depth__gt=course.depth)
    lessons = LessonPage.objects.live().filter(by_path).only(*LESSON_LIST_FIELDS).order_by("path")
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
    assessments = AssessmentPage.objects.live().filter(by_path).defer("questions")
    for assessment in assessments.order_by("path"):
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


def courses_by_skill(*, skill_ids) -> dict[int, list[tuple[CoursePage, int]]]:
    """The live, public courses that build each skill, with the level each builds it to:
    {skill id: [(course, level)]}, highest level first, in one query.
    """
    skill_ids = list(skill_ids)
    if not skill_ids:
        return {}
    rows = (
        CourseSkill.objects.filter(
            skill_id__in=skill_ids, course__in=CoursePage.objects.live().public()
        )
        .select_related("course")
        .order_by("-level", "course__title", "course_id")
    )
    result: dict[int, list[tuple[CoursePage, int]]] = {pk: [] for pk in skill_ids}
    for row in rows:
        result[row.skill_id].append((row.course, row.level))
    return result
