"""Every write about challenges. Import from here: `from challenges import services`."""

from .files import file_delete, file_upload
from .notifications import (
    deadline_reminders_send,
    notification_send,
    notify_decision,
    notify_invitation,
    notify_mentor_assigned,
    notify_submission_received,
)
from .reviews import (
    assignment_declare_conflict,
    assignment_remove,
    mentor_assign,
    mentors_assign_automatically,
    review_submit,
    submission_decide,
)
from .submissions import (
    submission_start,
    submission_submit,
    submission_update,
    submission_withdraw,
)
from .teams import invitation_accept, invitation_cancel, invitation_create, invitation_decline
from .workflow import TRANSITIONS, allowed_actions, submission_transition

__all__ = [
    "TRANSITIONS",
    "allowed_actions",
    "assignment_declare_conflict",
    "assignment_remove",
    "deadline_reminders_send",
    "file_delete",
    "file_upload",
    "invitation_accept",
    "invitation_cancel",
    "invitation_create",
    "invitation_decline",
    "mentor_assign",
    "mentors_assign_automatically",
    "notification_send",
    "notify_decision",
    "notify_invitation",
    "notify_mentor_assigned",
    "notify_submission_received",
    "review_submit",
    "submission_decide",
    "submission_start",
    "submission_submit",
    "submission_transition",
    "submission_update",
    "submission_withdraw",
]
