import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page, Workflow

from courses.blocks import KnowledgeCheckBlock, LessonStreamBlock, QuestionBlock
from courses.models import (
    AssessmentPage,
    CourseIndexPage,
    CoursePage,
    HomePage,
    LessonPage,
    ModulePage,
)
from tests.factories.courses import (
    LessonPageFactory,
    ModulePageFactory,
    SkillFactory,
    catalogue,
    course_with_lessons,
)
from tests.factories.learners import UserFactory

pytestmark = pytest.mark.django_db


def test_page_types_allow_only_the_curriculum_tree():
    assert CourseIndexPage.allowed_parent_page_models() == [HomePage]
    assert set(CoursePage.allowed_subpage_models()) == {ModulePage, LessonPage, AssessmentPage}
    assert LessonPage.allowed_subpage_models() == []
    assert set(LessonPage.allowed_parent_page_models()) == {CoursePage, ModulePage}
    assert AssessmentPage.max_count_per_parent == 1


def test_course_lessons_follow_tree_order_through_modules():
    course = course_with_lessons(lessons=2, assessment=False)
    module = ModulePageFactory(parent=course, title="Module one")
    LessonPageFactory(parent=module, title="Inside the module")
    titles = [lesson.title for lesson in course.lessons()]
    assert titles == [f"{course.title} lesson 1", f"{course.title} lesson 2", "Inside the module"]


def test_lesson_page_renders_blocks_and_navigation(client):
    course = course_with_lessons(lessons=2, skills=[(SkillFactory(name="Accessibility"), 2)])
    first, second = course.lessons()
    response = client.get(first.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lesson 1 teaching." in html
    assert "lesson 1 of 2" in html
    assert second.url in html
    assert "Sign in" in html  # anonymous readers are told how to record progress
    response = client.get(second.url)
    assert course.assessment().url in response.content.decode()


def test_course_page_shows_details_and_contents(client):
    course = course_with_lessons(lessons=2, skills=[(SkillFactory(name="Data ethics"), 3)])
    html = client.get(course.url).content.decode()
    assert "Data ethics: practitioner" in html
    assert f"{course.title} lesson 2" in html
    assert "45 minutes" in html


def test_question_block_requires_a_correct_option():
    block = QuestionBlock()
    value = block.to_python(
        {
            "question": "Q?",
            "multiple": False,
            "options": [
                {"text": "A", "correct": False, "feedback": ""},
                {"text": "B", "correct": False, "feedback": ""},
            ],
        }
    )
    with pytest.raises(ValidationError):
        block.clean(value)


def test_single_choice_question_allows_only_one_correct_option():
    block = KnowledgeCheckBlock()
    value = block.to_python(
        {
            "question": "Q?",
            "multiple": False,
            "options": [
                {"text": "A", "correct": True, "feedback": ""},
                {"text": "B", "correct": True, "feedback": ""},
            ],
        }
    )
    with pytest.raises(ValidationError):
        block.clean(value)
    value["multiple"] = True
    assert block.clean(value)["multiple"] is True


def test_image_and_video_blocks_require_alt_text_and_transcript():
    stream = LessonStreamBlock()
    image = stream.child_blocks["image"]
    video = stream.child_blocks["video"]
    assert image.child_blocks["alt_text"].required
    assert video.child_blocks["transcript"].required
    for block in stream.child_blocks.values():
        assert block.meta.template
        assert block.meta.icon
        assert block.meta.description


def test_editor_can_submit_a_course_for_moderation():
    index = catalogue()
    editor = UserFactory(is_staff=True, is_superuser=True)
    course = CoursePage(
        title="Moderated course",
        summary="s",
        outcomes="<p>o</p>",
        audience="<p>a</p>",
        duration_minutes=30,
    )
    index.add_child(instance=course)
    course.save_revision(user=editor)
    workflow = Workflow.objects.get(name="Moderation of courses and challenges")
    assert course.get_workflow() == workflow
    state = workflow.start(course, editor)
    assert state.status == state.STATUS_IN_PROGRESS
    assert Page.objects.get(pk=course.pk).workflow_in_progress


def test_catalogue_routes_to_live_pages_only(client):
    course = course_with_lessons(lessons=1)
    lesson = course.lessons().first()
    assert client.get(lesson.url).status_code == 200
    assert client.get(course.url + "no-such-lesson/").status_code == 404
    url = lesson.url
    lesson.unpublish()
    assert client.get(url).status_code == 404


def test_editor_previews_lessons_and_assessments(rf):
    course = course_with_lessons(lessons=1)
    editor = UserFactory(is_staff=True, is_superuser=True)
    for page in (course, course.lessons().first(), course.assessment()):
        request = rf.get("/")
        request.user = editor
        response = page.make_preview_request(original_request=request)
        assert response.status_code == 200
    draft = LessonPage(title="Unsaved lesson", slug="unsaved", body=[])
    request = rf.get("/")
    request.user = editor
    assert draft.make_preview_request(original_request=request).status_code == 200


def test_draft_lesson_preview_is_not_numbered_lesson_1_of_0(rf):
    course = course_with_lessons(lessons=2)
    draft = LessonPage(title="Draft lesson", slug="draft-lesson", body=[], live=False)
    course.add_child(instance=draft)
    request = rf.get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    response = draft.make_preview_request(original_request=request)
    html = (
        response.render().content.decode()
        if hasattr(response, "render")
        else response.content.decode()
    )
    assert "lesson 1 of" not in html
    assert "draft lesson, not yet published" in html
