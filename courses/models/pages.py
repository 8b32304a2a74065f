"""Wagtail pages of the curriculum. Declarative: content, panels and page-type rules only.

HomePage -> CourseIndexPage (the catalogue) -> CoursePage -> (ModulePage ->) LessonPage,
and one AssessmentPage per course. Nothing here knows about learners: progress shown on these
pages comes from the learners.learning template tags and page-serving hook.
"""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from courses.blocks import SHORT_RICH_TEXT_FEATURES, AssessmentStreamBlock, LessonStreamBlock

from .framework import SkillLevel


class CachedRestrictionsMixin:
    """Wagtail checks a page's view restrictions (two queries) each time it serves it; the
    structure cache remembers which apply (usually none). See
    courses.selectors.view_restrictions.
    """

    def get_view_restrictions(self):
        from courses.selectors import view_restrictions

        return view_restrictions(page=self, uncached=super().get_view_restrictions)


class DirectRouteMixin:
    """Find a page below this one in one lookup rather than one query per level (lessons are
    four levels below the home page); the answer is kept in the structure cache (see
    courses.selectors.page_at). Anything not found that way (e.g. a sub-route) goes through
    Wagtail's own routing.
    """

    def route(self, request, path_components):
        if path_components:
            from courses.selectors import page_at

            target = page_at(root=self, path_components=path_components)
            if target is not None:
                return target.route(request, [])
        return super().route(request, path_components)


class HomePage(CachedRestrictionsMixin, DirectRouteMixin, Page):
    introduction = RichTextField(blank=True, features=["bold", "italic", "link", "ul", "ol"])

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    template = "courses/home_page.html"


class CourseIndexPage(CachedRestrictionsMixin, DirectRouteMixin, Page):
    """The catalogue: searchable, filterable list of the courses below it."""

    introduction = RichTextField(blank=True, features=SHORT_RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    template = "courses/course_index_page.html"

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import catalogue_page

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_page(index=self, params=request.GET))
        return context


# What lists of lessons need: links, tree order and the activity IRI (translation_key).
LESSON_LIST_FIELDS = ("id", "title", "url_path", "path", "depth", "translation_key")


class CourseChildMixin:
    """Finding the course a lesson or assessment belongs to, and the breadcrumbs."""

    def breadcrumbs(self):
        from courses.selectors import page_place

        return page_place(page=self)["breadcrumbs"]

    def get_course(self) -> "CoursePage | None":
        if not hasattr(self, "_course"):
            from courses.selectors import page_place

            self._course = page_place(page=self)["course"]
        return self._course


class CourseFormat(models.TextChoices):
    SELF_PACED = "self-paced", "Self-paced online"
    TUTOR_LED = "tutor-led", "Online with a tutor"
    BLENDED = "blended", "Blended: online and in person"


class CoursePage(CachedRestrictionsMixin, CourseChildMixin, Page):
    """A short course: what it teaches, to whom, and the DDaT skills it builds."""

    summary = models.CharField(max_length=300, help_text="One or two sentences for the catalogue.")
    outcomes = RichTextField(
        features=SHORT_RICH_TEXT_FEATURES,
        help_text="What learners will be able to do after the course, as a list.",
    )
    audience = RichTextField(features=SHORT_RICH_TEXT_FEATURES, verbose_name="who it is for")
    audience_professions = ParentalManyToManyField(
        "learners.Profession",
        blank=True,
        related_name="+",
        help_text="The civil service professions this course is written for (catalogue filter).",
    )
    prerequisites = RichTextField(
        blank=True,
        features=SHORT_RICH_TEXT_FEATURES,
        help_text="What learners should know or have done first. Leave empty if nothing.",
    )
    duration_minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(60 * 40)],
        help_text="About how long the course takes, in minutes.",
    )
    format = models.CharField(
        max_length=20, choices=CourseFormat.choices, default=CourseFormat.SELF_PACED
    )
    level = models.PositiveSmallIntegerField(
        choices=SkillLevel.choices,
        default=SkillLevel.AWARENESS,
        help_text="The highest level of skill this course builds.",
    )
    enrolment_open = models.BooleanField(
        default=True,
        help_text="Untick to close the course to new enrolments; enrolled learners can finish.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("outcomes"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                # A ticked list: the thirty-odd professions read at a glance, without the
                # Ctrl-click a multiple select needs.
                FieldPanel("audience_professions", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Audience",
        ),
        FieldPanel("prerequisites"),
        FieldRowPanel(
            [FieldPanel("duration_minutes"), FieldPanel("format"), FieldPanel("level")],
            heading="Course details",
        ),
        InlinePanel("course_skills", label="Skill built", min_num=1, heading="DDaT skills"),
        FieldPanel("enrolment_open"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("outcomes"),
        index.SearchField("audience"),
        index.RelatedFields("course_skills", [index.SearchField("skill_name")]),
        index.FilterField("duration_minutes"),
        index.FilterField("level"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.ModulePage", "courses.LessonPage", "courses.AssessmentPage"]

    template = "courses/course_page.html"

    def lessons(self):
        """The course's live lessons in reading order (tree order, through modules)."""
        return LessonPage.objects.live().descendant_of(self).order_by("path")

    def lesson_list(self) -> list:
        """The lessons' titles, links and keys, from the course outline (structure cache)."""
        if not hasattr(self, "_lesson_list"):
            self._load_outline()
        return self._lesson_list

    def assessment(self):
        """The course's live assessment, from the course outline (its questions load when
        read).
        """
        if not hasattr(self, "_assessment"):
            self._load_outline()
        return self._assessment

    def _load_outline(self):
        from courses.selectors import course_outlines

        if not self.pk or not self.path:  # previewed before its first save: nothing below it
            self._lesson_list, self._assessment = [], None
            return
        self._lesson_list, self._assessment = course_outlines(courses=[self])[self.pk]

    def get_course(self):
        return self

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            breadcrumbs=self.breadcrumbs(),
            lessons=self.lesson_list(),
            assessment=self.assessment(),
        )
        return context


class CourseSkill(Orderable):
    """A DDaT skill the course builds, and the level it builds it to."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="course_skills")
    skill = models.ForeignKey("courses.Skill", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(choices=SkillLevel.choices)

    panels = [FieldPanel("skill"), FieldPanel("level")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["course", "skill"], name="unique_course_skill"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="course_skill_level_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.skill} ({self.get_level_display()})"

    @property
    def skill_name(self) -> str:
        return self.skill.name


class ModulePage(CachedRestrictionsMixin, CourseChildMixin, Page):
    """An optional group of lessons inside a course."""

    introduction = RichTextField(blank=True, features=SHORT_RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    template = "courses/module_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            breadcrumbs=self.breadcrumbs(),
            lessons=list(LessonPage.objects.live().child_of(self).only("id", "title", "url_path")),
        )
        return context


class LessonPage(CachedRestrictionsMixin, CourseChildMixin, Page):
    """One lesson: a stream of content blocks and knowledge checks."""

    summary = models.CharField(max_length=300, blank=True)
    body = StreamField(LessonStreamBlock())

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["courses.CoursePage", "courses.ModulePage"]
    subpage_types = []

    template = "courses/lesson_page.html"

    def knowledge_checks(self) -> dict:
        """The lesson's knowledge check blocks by their stable block id."""
        return {block.id: block for block in self.body if block.block_type == "knowledge_check"}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        course = self.get_course()
        lessons = course.lesson_list() if course else []
        # A draft previewed by an editor is not in the live list: no number, no neighbours.
        position = next((i for i, lesson in enumerate(lessons) if lesson.pk == self.pk), None)
        numbered = position is not None
        context.update(
            breadcrumbs=self.breadcrumbs(),
            course=course,
            lessons=lessons,
            lesson_number=position + 1 if numbered else None,
            previous_lesson=lessons[position - 1] if numbered and position > 0 else None,
            next_lesson=lessons[position + 1] if numbered and position + 1 < len(lessons) else None,
            assessment=course.assessment() if course else None,
        )
        return context


class AssessmentPage(CachedRestrictionsMixin, CourseChildMixin, Page):
    """The course's final assessment: questions, a pass mark and a number of attempts."""

    introduction = RichTextField(blank=True, features=SHORT_RICH_TEXT_FEATURES)
    questions = StreamField(AssessmentStreamBlock())
    pass_mark = models.PositiveSmallIntegerField(
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="The percentage of questions a learner must get right to pass.",
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="How many times a learner may take the assessment.",
    )
    shuffle_questions = models.BooleanField(
        default=True, help_text="Show the questions in a different order for each attempt."
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldRowPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("attempts_allowed"),
                FieldPanel("shuffle_questions"),
            ],
            heading="Rules",
        ),
        FieldPanel("questions"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []
    max_count_per_parent = 1

    template = "courses/assessment_page.html"

    def question_blocks(self) -> dict:
        """The assessment's question blocks by their stable block id, in the editor's order."""
        return {block.id: block for block in self.questions}

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(course=self.get_course(), breadcrumbs=self.breadcrumbs())
        return context
