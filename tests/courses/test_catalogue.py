import pytest

from courses.models import CoursePage
from tests.factories.courses import (
    CoursePageFactory,
    LessonPageFactory,
    SkillFactory,
    catalogue,
    course_with_lessons,
)
from tests.factories.learners import ProfessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses():
    index = catalogue()
    ethics = SkillFactory(name="Data ethics and privacy", code="data-ethics-and-privacy")
    research = SkillFactory(name="User research methods", code="user-research-methods")
    digital = ProfessionFactory(name="Digital", code="digital")
    policy = ProfessionFactory(name="Policy", code="policy")
    short = CoursePageFactory(
        parent=index,
        title="Data ethics basics",
        summary="Fair use of data.",
        duration_minutes=20,
        skills=[(ethics, 1)],
    )
    short.audience_professions.set([policy])
    short.save_revision().publish()
    long = CoursePageFactory(
        parent=index,
        title="Advanced user research",
        summary="Interviews and usability testing.",
        duration_minutes=90,
        level=3,
        skills=[(research, 3), (ethics, 2)],
    )
    long.audience_professions.set([digital])
    long.save_revision().publish()
    return {"index": index, "short": short, "long": long}


def titles(response):
    return [course.title for course in response.context["courses"]]


def test_catalogue_lists_live_courses_sorted_by_title(client, courses):
    draft = CoursePageFactory(parent=courses["index"], title="A draft course")
    draft.unpublish()
    response = client.get("/courses/")
    assert response.status_code == 200
    assert titles(response) == ["Advanced user research", "Data ethics basics"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("skill=user-research-methods", ["Advanced user research"]),
        ("skill=data-ethics-and-privacy", ["Advanced user research", "Data ethics basics"]),
        ("skill=data-ethics-and-privacy&level=1", ["Data ethics basics"]),
        ("level=3", ["Advanced user research"]),
        ("duration=under-30", ["Data ethics basics"]),
        ("duration=under-30&duration=over-60", ["Advanced user research", "Data ethics basics"]),
        ("profession=policy", ["Data ethics basics"]),
        ("sort=shortest", ["Data ethics basics", "Advanced user research"]),
    ],
)
def test_catalogue_filters_combine_from_the_url(client, courses, query, expected):
    response = client.get(f"/courses/?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


def test_catalogue_search_finds_courses_by_words(client, courses):
    response = client.get("/courses/?q=usability")
    assert titles(response) == ["Advanced user research"]
    assert "matching ‘usability’" in response.content.decode()


def test_catalogue_level_filter_matches_the_level_each_card_shows(client, courses):
    skill = SkillFactory()
    working = CoursePageFactory(
        parent=courses["index"], title="Working course", level=2, skills=[(skill, 1)]
    )
    working.save_revision().publish()

    awareness = client.get("/courses/?level=1")
    working_only = client.get("/courses/?level=2")

    assert titles(awareness) == ["Data ethics basics"]
    assert titles(working_only) == ["Working course"]
    for course in awareness.context["courses"]:
        assert course.get_level_display() == "Awareness"


def test_catalogue_search_reaches_lesson_text(client, courses):
    course = course_with_lessons(lessons=0, assessment=False, title="Handling personal data")
    LessonPageFactory(
        parent=course,
        title="The law",
        body=[{"type": "paragraph", "value": "<p>What GDPR asks of a data controller.</p>"}],
    )
    private = course_with_lessons(lessons=0, assessment=False, title="Another course")
    draft = LessonPageFactory(
        parent=private,
        title="Draft",
        body=[{"type": "paragraph", "value": "<p>GDPR in a draft lesson.</p>"}],
    )
    draft.unpublish()

    response = client.get("/courses/?q=GDPR")

    assert titles(response) == ["Handling personal data"]


def test_catalogue_search_lists_courses_matching_by_their_own_text_first(client, courses):
    course = course_with_lessons(lessons=0, assessment=False, title="Consent")
    LessonPageFactory(
        parent=course,
        title="Consent forms",
        body=[{"type": "paragraph", "value": "<p>Usability of consent forms.</p>"}],
    )

    response = client.get("/courses/?q=usability")

    assert titles(response) == ["Advanced user research", "Consent"]


def test_catalogue_invalid_parameters_give_clear_errors_not_500(client, courses):
    response = client.get("/courses/?skill=no-such-skill&level=9&page=abc&sort=random")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Select skills from the list" in html
    assert "Select skill levels from the list" in html
    assert "Page number must be a whole number" in html
    assert "Select a sort order from the list" in html
    assert len(titles(response)) == 2


def test_catalogue_page_out_of_range_is_reported(client, courses):
    response = client.get("/courses/?page=7")
    assert "There is no page 7: there is 1 page of results" in response.content.decode()
    assert len(titles(response)) == 2


def test_catalogue_paginates_and_keeps_filters_in_links(client, courses):
    for number in range(12):
        CoursePageFactory(parent=courses["index"], title=f"Filler {number:02}", duration_minutes=15)
    response = client.get("/courses/?duration=under-30")
    assert response.context["paginator"].count == 13
    assert len(titles(response)) == 10
    html = response.content.decode()
    assert "duration=under-30&amp;page=2" in html
    response = client.get("/courses/?duration=under-30&page=2")
    assert len(titles(response)) == 3


def test_catalogue_offers_only_skills_and_professions_of_live_courses(client, courses):
    SkillFactory(name="Unused skill")
    response = client.get("/courses/")
    skill_choices = dict(response.context["form"].fields["skill"].choices)
    assert set(skill_choices.values()) == {"Data ethics and privacy", "User research methods"}
    assert CoursePage.objects.live().count() == 2


def test_catalogue_search_sees_a_lesson_published_after_the_results_were_cached(client, courses):
    course = course_with_lessons(lessons=0, assessment=False, title="Records management")
    assert titles(client.get("/courses/?q=retention")) == []

    lesson = LessonPageFactory(
        parent=course,
        title="Keeping records",
        body=[{"type": "paragraph", "value": "<p>Retention schedules.</p>"}],
    )
    lesson.save_revision().publish()

    assert titles(client.get("/courses/?q=retention")) == ["Records management"]
