"""Which activities evidence which skills: read from the curriculum and the challenges.

Skills evidence comes from the platform's own mapping of activities to skills, never from
skills claimed inside a statement, so a client cannot award itself a skill.
"""

from challenges.selectors import evidencing_challenges
from courses.selectors import assessments_of_courses, live_courses
from learners.lrs.emit import activity_iri
from learners.lrs.emit.courses import assessment_iri, course_iri

ADL_PASSED = "http://adlnet.gov/expapi/verbs/passed"
ADL_COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
# A course completed or passed (or its assessment passed), a challenge passed (= accepted).
EVIDENCE_VERBS = (ADL_PASSED, ADL_COMPLETED)


def evidence_activity_rows() -> set[tuple[str, int, int]]:
    """(activity IRI, skill id, level) for every live course, its assessment and challenge."""
    rows: set[tuple[str, int, int]] = set()
    courses = list(live_courses())
    assessments = assessments_of_courses(courses=courses)
    for course in courses:
        iris = [course_iri(course)]
        if course.pk in assessments:
            iris.append(assessment_iri(assessments[course.pk]))
        for course_skill in course.course_skills.all():
            rows.update((iri, course_skill.skill_id, course_skill.level) for iri in iris)
    for challenge in evidencing_challenges():
        iri = activity_iri("challenge", str(challenge.translation_key))
        rows.update((iri, skill.pk, challenge.level) for skill in challenge.skills.all())
    return rows
