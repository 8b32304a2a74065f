import pytest

from courses.cmi5.demo import DEMO_COURSE_ID
from courses.demo import seed_curriculum
from courses.demo_files import load_courses
from courses.models import AssessmentPage, CourseIndexPage, CoursePage, LessonPage
from learners.learning import selectors
from learners.learning.demo import seed_learning
from learners.lrs.models import Statement
from tests.factories.learners import UserFactory

pytestmark = pytest.mark.django_db


def test_seed_curriculum_builds_the_catalogue_and_is_idempotent(client):
    courses_specs = load_courses()
    seed_curriculum()
    seed_curriculum()
    catalogue = CourseIndexPage.objects.get()
    assert catalogue.url == "/courses/"
    courses = CoursePage.objects.live().child_of(catalogue).filter(cmi5_package__isnull=True)
    assert courses.count() == len(courses_specs) >= 8
    for course in courses:
        assert course.lessons().count() >= 3
        assert course.assessment() is not None
        assert course.course_skills.count() >= 1
        assert any(
            block.block_type == "knowledge_check"
            for lesson in course.lessons()
            for block in lesson.body
        )
    assert LessonPage.objects.count() == sum(len(spec["lessons"]) for spec in courses_specs)
    assert AssessmentPage.objects.count() == len(courses_specs)
    response = client.get("/courses/")
    assert response.status_code == 200
    assert response.context["paginator"].count == len(courses_specs) + 1  # and the cmi5 one


def test_seed_curriculum_imports_and_publishes_the_cmi5_demo_course(client):
    seed_curriculum()
    seed_curriculum()
    course = CoursePage.objects.get(cmi5_package__publisher_id=DEMO_COURSE_ID)
    assert course.live
    assert course.url == "/courses/what-is-cmi5/"
    assert [s.skill.name for s in course.course_skills.all()] == ["Modern development standards"]
    unit = course.cmi5_package.units.get()
    assert unit.url == "index.html"
    assert {"index.html", "au.js", "cmi5.xml"} <= set(course.cmi5_package.files)
    page = client.get(course.url)
    assert page.status_code == 200
    assert unit.title in page.text


def test_demo_question_ids_are_stable_across_seeds():
    seed_curriculum()
    first = {a.pk: [b.id for b in a.questions] for a in AssessmentPage.objects.all()}
    seed_curriculum()
    again = {a.pk: [b.id for b in a.questions] for a in AssessmentPage.objects.all()}
    assert first == again


def test_every_demo_page_renders(client):
    seed_curriculum()
    for page in [
        *CoursePage.objects.live(),
        *LessonPage.objects.live(),
        *AssessmentPage.objects.live(),
    ]:
        assert client.get(page.url).status_code == 200, page.url


def test_seed_learning_puts_the_learner_part_way_through_two_courses():
    seed_curriculum()
    learner = UserFactory()
    seed_learning(people={"learner": learner})
    count = Statement.objects.count()
    seed_learning(people={"learner": learner})
    assert Statement.objects.count() == count
    board = selectors.dashboard(user=learner)
    assert len(board.in_progress) == 2
    assert all(0 < progress.percent < 100 for progress in board.in_progress)
    assert board.completed == []
