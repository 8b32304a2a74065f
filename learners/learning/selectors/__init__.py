"""Reads of learning, by job: progress, the dashboard, skills and course analytics.

Everything is derived from statements; see each module's docstring.
"""

from .analytics import QuestionStats, course_analytics, courses_overview, question_stats
from .dashboard import (
    Dashboard,
    certificate_by_code,
    certificate_for,
    dashboard,
    learning_record,
)
from .progress import (
    PROGRESS_VERBS,
    CourseProgress,
    Fact,
    activity_ids_of,
    actor_ifi,
    course_progress,
    enrolment_for,
    last_answers,
    learner_facts,
    learner_statements,
    progress_from_facts,
    resume_page,
)
from .skills import Evidence, SkillRow, evidence_by_skill, skill_gaps, skills_profile

__all__ = [
    "PROGRESS_VERBS",
    "CourseProgress",
    "Dashboard",
    "Evidence",
    "Fact",
    "QuestionStats",
    "SkillRow",
    "activity_ids_of",
    "actor_ifi",
    "certificate_by_code",
    "certificate_for",
    "course_analytics",
    "course_progress",
    "courses_overview",
    "dashboard",
    "enrolment_for",
    "evidence_by_skill",
    "last_answers",
    "learner_facts",
    "learner_statements",
    "learning_record",
    "progress_from_facts",
    "question_stats",
    "resume_page",
    "skill_gaps",
    "skills_profile",
]
