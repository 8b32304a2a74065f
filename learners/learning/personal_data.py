"""Personal data of learning: enrolments, certificates, self-assessments (see
learners.privacy.register for the format). Statements are the LRS's.
"""

PERSONAL_DATA = [
    {
        "model": "learning.Enrolment",
        "fields": ["user", "registration"],
        "purpose": "learning",
        "retention": "learning",
        "erasure": "keep",
    },
    {
        "model": "learning.Certificate",
        "fields": ["user", "holder_name", "verification_code"],
        "purpose": "learning",
        "retention": "account",
        "erasure": "delete",
    },
    {
        "model": "learning.SelfAssessment",
        "fields": ["user", "skill", "level"],
        "purpose": "learning",
        "retention": "account",
        "erasure": "delete",
    },
    # cmi5: a learner's AU sessions, what each AU registration achieved (or a waiver, with
    # staff's reason), and the blocks and course satisfied; tied to the person by the
    # enrolment, and kept with it as the course figures are.
    {
        "model": "learning.Cmi5Session",
        "fields": ["enrolment", "session_id", "launched_at", "initialized_at", "ended_at"],
        "purpose": "learning",
        "retention": "learning",
        "erasure": "keep",
    },
    {
        "model": "learning.Cmi5UnitStatus",
        "fields": ["enrolment", "completed", "passed", "failed", "waived", "waive_reason"],
        "purpose": "learning",
        "retention": "learning",
        "erasure": "keep",
    },
    {
        "model": "learning.Cmi5Satisfied",
        "fields": ["enrolment", "block_id", "satisfied_at"],
        "purpose": "learning",
        "retention": "learning",
        "erasure": "keep",
    },
]


def export_personal_data(user) -> dict:
    """Enrolments, certificates and self-assessments."""
    from learners.learning.models import Certificate, Enrolment, SelfAssessment

    return {
        "enrolments": [
            {
                "course": enrolment.course.title,
                "registration": str(enrolment.registration),
                "enrolled_at": enrolment.enrolled_at,
            }
            for enrolment in Enrolment.objects.filter(user=user).select_related("course")
        ],
        "certificates": list(
            Certificate.objects.filter(user=user).values(
                "course_title", "holder_name", "issued_at", "verification_code", "revoked_at"
            )
        ),
        "self_assessments": [
            {"skill": row.skill.name, "level": row.level, "updated_at": row.updated_at}
            for row in SelfAssessment.objects.filter(user=user).select_related("skill")
        ],
    }


def erase_personal_data(user, *, pseudonym: str) -> dict[str, int]:
    """Delete certificates (their public page then finds nothing) and self-assessments;
    enrolments stay on the closed account, so course figures keep their counts.
    """
    from learners.learning.models import Certificate, SelfAssessment

    return {
        "certificates": Certificate.objects.filter(user=user).delete()[0],
        "self_assessments": SelfAssessment.objects.filter(user=user).delete()[0],
    }
