"""Demo curriculum: the site's page tree and its courses (the files in data/demo_courses/,
read by `courses.demo_files`). Idempotent.
"""

import uuid

from django.utils.text import slugify
from wagtail.models import Page, Site

from .cmi5.demo import DEMO_COURSE_ID, demo_package_bytes
from .demo_files import load_courses
from .models import (
    AssessmentPage,
    Cmi5Package,
    CourseIndexPage,
    CoursePage,
    CourseSkill,
    HomePage,
    LessonPage,
    Skill,
    SkillLevel,
)
from .services.cmi5 import cmi5_package_import

CATALOGUE_INTRODUCTION = (
    "<p>Short courses in digital, data and technology, each mapped to the skills of the "
    "Government Digital and Data Profession Capability Framework. Search, or filter by skill, "
    "level, length and profession.</p>"
)
# Block ids derive from this namespace, so reseeding gives the same question ids.
DEMO_NAMESPACE = uuid.UUID("5b0c8d7e-3f7a-4c1e-9b9e-2f4d6a1c0e11")

HOME_INTRODUCTION = (
    "<p>Short courses in digital, data and technology for civil servants, mapped to the "
    "Government Digital and Data Profession Capability Framework.</p>"
)


def seed_home_page() -> HomePage:
    """Make a HomePage the root of the default site, replacing Wagtail's welcome page."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        welcome = (
            root.get_children().filter(slug="home").exclude(content_type__model="homepage").first()
        )
        if welcome is not None:
            welcome.slug = "welcome-retired"
            welcome.save_revision().publish()
        home = root.add_child(
            instance=HomePage(
                title="Learn digital skills for government",
                slug="home",
                introduction=HOME_INTRODUCTION,
            )
        )
        home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "root_page": home,
                "hostname": "localhost",
                "port": 80,
                "site_name": "Public School of Technology",
            },
        )
        if welcome is not None:
            welcome.delete()
    return home


def seed_curriculum() -> None:
    """The page tree: home page, the catalogue at /courses/ and the demo courses."""
    home = seed_home_page()
    catalogue = seed_catalogue(home=home)
    for spec in load_courses():
        seed_course(catalogue=catalogue, spec=spec)
    seed_cmi5_course(catalogue=catalogue)


def seed_cmi5_course(*, catalogue) -> CoursePage:
    """The platform's own tiny cmi5 course (courses/cmi5/demo_au), imported as an editor would
    and published with a DDaT skill, unless it is there already.
    """
    existing = Cmi5Package.objects.filter(publisher_id=DEMO_COURSE_ID).first()
    if existing is not None:
        return existing.course
    course = cmi5_package_import(data=demo_package_bytes(), parent=catalogue, name="demo.zip")
    course.slug = "what-is-cmi5"
    course.duration_minutes = 5
    course.level = SkillLevel(1)
    course.course_skills.add(
        CourseSkill(skill=_skill("Modern development standards"), level=1, sort_order=0)
    )
    course.save_revision().publish()
    return course


def seed_catalogue(*, home) -> CourseIndexPage:
    catalogue = CourseIndexPage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = home.add_child(
            instance=CourseIndexPage(
                title="Find a course", slug="courses", introduction=CATALOGUE_INTRODUCTION
            )
        )
        catalogue.save_revision().publish()
    return catalogue


def _skill(name: str) -> Skill:
    """A framework skill by its published name (loaded by load_taxonomy)."""
    skill = Skill.objects.filter(name=name).first()
    if skill is None:
        skill = Skill.objects.create(name=name, code=slugify(name))
    return skill


def _with_ids(blocks: list, *, key: str) -> list:
    """Give every block and option a stable id derived from its place in the course."""
    result = []
    for index, block in enumerate(blocks):
        block = {**block, "id": str(uuid.uuid5(DEMO_NAMESPACE, f"{key}/{index}"))}
        value = block["value"]
        if isinstance(value, dict) and "options" in value:
            value = {
                **value,
                "options": [
                    {"type": "item", "id": "abcdefgh"[number], "value": option}
                    for number, option in enumerate(value["options"])
                ],
            }
            block["value"] = value
        result.append(block)
    return result


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def seed_course(*, catalogue, spec: dict) -> CoursePage:
    """One demo course with its lessons and assessment, unless it exists already."""
    existing = CoursePage.objects.child_of(catalogue).filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    outcomes = "".join(f"<li>{outcome}</li>" for outcome in spec["outcomes"])
    course = CoursePage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        outcomes=f"<p>By the end of this course you will be able to:</p><ul>{outcomes}</ul>",
        audience=f"<p>{spec['audience']}</p>",
        duration_minutes=spec["duration"],
        format=spec["format"],
        level=SkillLevel(spec["level"]),
    )
    for order, (name, level) in enumerate(spec["skills"]):
        course.course_skills.add(CourseSkill(skill=_skill(name), level=level, sort_order=order))
    profession_model = CoursePage._meta.get_field("audience_professions").related_model
    course.audience_professions.set(profession_model.objects.filter(name__in=spec["professions"]))
    _publish(catalogue, course)
    for number, lesson in enumerate(spec["lessons"], start=1):
        _publish(
            course,
            LessonPage(
                title=lesson["title"],
                summary=lesson["summary"],
                body=_with_ids(lesson["body"], key=f"{spec['slug']}/lesson-{number}"),
            ),
        )
    _publish(
        course,
        AssessmentPage(
            title="Assessment",
            slug="assessment",
            introduction="<p>Check what you have learned. Answer every question.</p>",
            questions=_with_ids(spec["assessment"], key=f"{spec['slug']}/assessment"),
            pass_mark=75,
            attempts_allowed=3,
            shuffle_questions=True,
        ),
    )
    return course
