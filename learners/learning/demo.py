"""Demo progress: the demo learner part-way through two courses, recorded as real statements."""

from courses.models import CoursePage

from . import selectors, services

# (course slug, lessons read, answer each knowledge check of those lessons)
DEMO_PROGRESS = [
    ("data-ethics-in-government", 2),
    ("cloud-fundamentals", 1),
]


def seed_learning(*, people: dict) -> None:
    """Put the demo learner part-way through courses. Idempotent."""
    learner = people.get("learner")
    if learner is None:
        return
    for slug, lessons_read in DEMO_PROGRESS:
        course = CoursePage.objects.live().filter(slug=slug).first()
        if course is None:
            continue
        services.enrolment_create(user=learner, course=course)
        for lesson in list(course.lessons())[:lessons_read]:
            services.lesson_experience(user=learner, lesson=lesson)
            checks = lesson.knowledge_checks()
            answered = selectors.last_answers(user=learner, page=lesson, block_ids=list(checks))
            for block_id, block in checks.items():
                if block_id in answered:
                    continue
                correct = [
                    option.id
                    for option in block.value["options"].bound_blocks
                    if option.value["correct"]
                ]
                services.knowledge_check_answer(
                    user=learner, lesson=lesson, block_id=block_id, chosen=correct
                )
