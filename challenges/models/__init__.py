"""Innovation challenges: the Wagtail pages, submissions, mentor reviews and their audit trail."""

from .pages import ChallengeIndexPage, ChallengePage, RubricCriterion, ScoreLevel
from .submissions import (
    AssignmentStatus,
    CriterionScore,
    Invitation,
    InvitationStatus,
    MentorAssignment,
    Recommendation,
    Review,
    SentNotification,
    Submission,
    SubmissionEvent,
    SubmissionFile,
    SubmissionMember,
    SubmissionStatus,
)

__all__ = [
    "AssignmentStatus",
    "ChallengeIndexPage",
    "ChallengePage",
    "CriterionScore",
    "Invitation",
    "InvitationStatus",
    "MentorAssignment",
    "Recommendation",
    "Review",
    "RubricCriterion",
    "ScoreLevel",
    "SentNotification",
    "Submission",
    "SubmissionEvent",
    "SubmissionFile",
    "SubmissionMember",
    "SubmissionStatus",
]
