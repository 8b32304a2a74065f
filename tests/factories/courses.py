import factory
from django.utils.text import slugify

from courses.demo import seed_home_page
from courses.models import (
    AssessmentPage,
    CourseIndexPage,
    CoursePage,
    CourseSkill,
    LessonPage,
    ModulePage,
    Role,
    RoleFamily,
    RoleLevel,
    RoleLevelSkill,
    Skill,
    SkillLevel,
)


class RoleFamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleFamily
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Role family {n}")
    code = factory.LazyAttribute(lambda o: slugify(o.name))


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    name = factory.Sequence(lambda n: f"Role {n}")
    code = factory.LazyAttribute(lambda o: slugify(o.name))
    family = factory.SubFactory(RoleFamilyFactory)


class RoleLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleLevel

    name = factory.Sequence(lambda n: f"Role level {n}")
    code = factory.LazyAttribute(lambda o: slugify(o.name))
    role = factory.SubFactory(RoleFactory)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    name = factory.Sequence(lambda n: f"Skill {n}")
    code = factory.LazyAttribute(lambda o: slugify(o.name))
    description = "What this skill involves."


class RoleLevelSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleLevelSkill

    role_level = factory.SubFactory(RoleLevelFactory)
    skill = factory.SubFactory(SkillFactory)
    level = SkillLevel.WORKING


# --- Wagtail pages (added with the course pages) ---


def question(text="Which is right?", *, options=None, multiple=False, block_id=None):
    """Raw StreamField data of a question with stable option ids 'a', 'b', 'c'..."""
    options = options or [("Right", True, "Yes: that is right."), ("Wrong", False, "No.")]
    return {
        "type": "question",
        "id": block_id or f"q-{abs(hash((text, multiple))) % 10**8}",
        "value": {
            "question": text,
            "hint": "",
            "multiple": multiple,
            "options": [
                {
                    "type": "item",
                    "id": "abcdefgh"[i],
                    "value": {"text": t, "correct": c, "feedback": f},
                }
                for i, (t, c, f) in enumerate(options)
            ],
        },
    }


def knowledge_check(text="Is this a check?", **kwargs):
    data = question(text, **kwargs)
    data["type"] = "knowledge_check"
    return data


class PageFactory(factory.django.DjangoModelFactory):
    """Pages are added under `parent` (a live page) and published."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        instance = model_class(*args, **kwargs)
        parent.add_child(instance=instance)
        instance.save_revision().publish()
        return instance


def catalogue() -> CourseIndexPage:
    """The home page and the catalogue at /courses/ (get or create)."""
    home = seed_home_page()
    existing = CourseIndexPage.objects.first()
    if existing is not None:
        return existing
    return CourseIndexPageFactory(parent=home)


class CourseIndexPageFactory(PageFactory):
    class Meta:
        model = CourseIndexPage

    title = "Find a course"
    slug = "courses"


class CoursePageFactory(PageFactory):
    class Meta:
        model = CoursePage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Course {n}")
    summary = "A short course."
    outcomes = "<ul><li>Do a thing</li></ul>"
    audience = "<p>Everyone.</p>"
    duration_minutes = 45

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        """skills=[(skill, level), ...]"""
        for order, (skill, level) in enumerate(extracted or []):
            CourseSkill.objects.create(course=obj, skill=skill, level=level, sort_order=order)


class ModulePageFactory(PageFactory):
    class Meta:
        model = ModulePage

    title = factory.Sequence(lambda n: f"Module {n}")


class LessonPageFactory(PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Lesson {n}")
    body = factory.LazyFunction(lambda: [{"type": "paragraph", "value": "<p>Some teaching.</p>"}])


class AssessmentPageFactory(PageFactory):
    class Meta:
        model = AssessmentPage

    title = "Assessment"
    slug = "assessment"
    pass_mark = 50
    attempts_allowed = 2
    shuffle_questions = True
    questions = factory.LazyFunction(
        lambda: [
            question("First question", block_id="q1"),
            question("Second question", block_id="q2"),
        ]
    )


def course_with_lessons(*, lessons=3, assessment=True, parent=None, **kwargs) -> CoursePage:
    """A live course with `lessons` lessons (the first holding a knowledge check)."""
    course = CoursePageFactory(parent=parent or catalogue(), **kwargs)
    for number in range(1, lessons + 1):
        body = [{"type": "paragraph", "value": f"<p>Lesson {number} teaching.</p>"}]
        if number == 1:
            body.append(knowledge_check("Is the sky blue?", block_id="kc1"))
        LessonPageFactory(parent=course, title=f"{course.title} lesson {number}", body=body)
    if assessment:
        AssessmentPageFactory(parent=course)
    return course
