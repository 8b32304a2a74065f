"""Which activities evidence which skills: read from the curriculum and the challenges.

Skills evidence comes from the platform's own mapping of activities to skills, never from
skills claimed inside a statement, so a client cannot award itself a skill.
"""

from challenges.selectors import evidencing_challenges
from courses.models import AssessmentPage, CoursePage, CourseSkill
from learners.xapi import COMPLETED as ADL_COMPLETED
from learners.xapi import PASSED as ADL_PASSED
from learners.xapi import activity_iri

# A course completed or passed (or its assessment passed), a challenge passed (= accepted).
EVIDENCE_VERBS = (ADL_PASSED, ADL_COMPLETED)


def _course_iris() -> dict[int, list[str]]:
    """Course pk -> the IRIs that evidence it: the live, public course and its first live
    assessment. Plain rows, not pages: the job reads this on every run.
    """
    courses = (
        CoursePage.objects.live().public().order_by().values_list("pk", "translation_key", "path")
    )
    by_path, iris = {}, {}
    for pk, key, path in courses:
        by_path[path] = pk
        iris[pk] = [activity_iri("course", str(key))]
    assessments = (
        AssessmentPage.objects.live().order_by("path").values_list("translation_key", "path")
    )
    with_assessment = set()
    for key, path in assessments:
        course_pk = by_path.get(path[: -CoursePage.steplen])
        if course_pk is not None and course_pk not in with_assessment:
            with_assessment.add(course_pk)
            iris[course_pk].append(activity_iri("assessment", str(key)))
    return iris


def evidence_activity_rows() -> set[tuple[str, int, int]]:
    """(activity IRI, skill id, level) for every live course, its assessment and challenge."""
    rows: set[tuple[str, int, int]] = set()
    iris = _course_iris()
    skills = CourseSkill.objects.filter(course_id__in=list(iris)).values_list(
        "course_id", "skill_id", "level"
    )
    for course_id, skill_id, level in skills:
        rows.update((iri, skill_id, level) for iri in iris[course_id])
    for challenge in evidencing_challenges():
        iri = activity_iri("challenge", str(challenge.translation_key))
        rows.update((iri, skill.pk, challenge.level) for skill in challenge.skills.all())
    return rows
