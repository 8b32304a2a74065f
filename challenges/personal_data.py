"""Personal data of innovation challenges (see learners.privacy.register for the format).

A challenge's record (entries, team membership, reviews, decisions and their audit trail) is
kept when a person is erased, pointing at the closed, pseudonymised account; what they uploaded
is deleted and every copy of their email address in the record is replaced by the pseudonym.
"""

from datetime import timedelta

_PAGE_LINKS = ["owner", "locked_by"]

PERSONAL_DATA = [
    {
        "model": "challenges.ChallengeIndexPage",
        "fields": _PAGE_LINKS,
        "purpose": "editorial",
        "retention": "editorial",
        "erasure": "keep",
    },
    {
        "model": "challenges.ChallengePage",
        "fields": [*_PAGE_LINKS, "managers"],
        "purpose": "challenges",
        "retention": "editorial",
        "erasure": "keep",
    },
    {
        "model": "challenges.Submission",
        "fields": ["created_by", "decided_by", "title", "summary", "decision_feedback"],
        "purpose": "challenges",
        "retention": "challenges",
        "erasure": "keep",
    },
    {
        "model": "challenges.SubmissionMember",
        "fields": ["user"],
        "purpose": "challenges",
        "retention": "challenges",
        "erasure": "pseudonymise",
    },
    {
        "model": "challenges.Invitation",
        "fields": ["email", "invited_by"],
        "purpose": "challenges",
        "retention": "challenges",
        "erasure": "pseudonymise",
    },
    {
        "model": "challenges.SubmissionFile",
        "fields": ["uploaded_by", "storage_name", "original_name"],
        "purpose": "challenges",
        "retention": "challenge_files",
        "erasure": "delete",
    },
    {
        "model": "challenges.MentorAssignment",
        "fields": ["mentor", "assigned_by", "conflict_reason"],
        "purpose": "challenges",
        "retention": "challenges",
        "erasure": "pseudonymise",
    },
    {
        "model": "challenges.Review",
        "fields": ["assignment", "comments"],
        "purpose": "challenges",
        "retention": "challenges",
        "erasure": "pseudonymise",
    },
    {
        "model": "challenges.SubmissionEvent",
        "fields": ["actor", "detail"],
        "purpose": "challenges",
        "retention": "challenges",
        "erasure": "pseudonymise",
    },
    {
        "model": "challenges.SentNotification",
        "fields": ["recipient"],
        "purpose": "challenges",
        "retention": "audit",
        "erasure": "delete",
    },
]

NO_PERSONAL_DATA = ["challenges.RubricCriterion", "challenges.CriterionScore"]


def _emails(user) -> set[str]:
    from allauth.account.models import EmailAddress

    return {user.email.lower()} | {
        email.lower()
        for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }


def export_personal_data(user) -> dict:
    """Entries the person is on (with the files they uploaded), invitations, reviews written."""
    from challenges.models import (
        Invitation,
        Review,
        Submission,
        SubmissionFile,
    )

    submissions = Submission.objects.filter(members__user=user).select_related("challenge")
    files = SubmissionFile.objects.filter(uploaded_by=user).select_related("submission")
    return {
        "submissions": [
            {
                "challenge": submission.challenge.title,
                "title": submission.title,
                "summary": submission.summary,
                "status": submission.status,
                "submitted_at": submission.submitted_at,
                "decision_feedback": submission.decision_feedback,
            }
            for submission in submissions
        ],
        "uploaded_files": [
            {"submission": f.submission.title, "name": f.original_name, "size": f.size}
            for f in files
        ],
        "invitations": list(
            Invitation.objects.filter(email__in=_emails(user)).values(
                "submission__title", "status", "created_at", "responded_at"
            )
        ),
        "reviews_written": list(
            Review.objects.filter(assignment__mentor=user).values(
                "assignment__submission__title",
                "round",
                "recommendation",
                "comments",
                "submitted_at",
            )
        ),
        "files": [(f"{f.pk}-{f.original_name}", f.storage_name) for f in files],
    }


def _files_delete(files) -> int:
    from django.core.files.storage import storages
    from django.db import transaction

    names = list(files.values_list("storage_name", flat=True))
    deleted = files.delete()[0]
    transaction.on_commit(lambda: [storages["private"].delete(name) for name in names])
    return deleted


def erase_personal_data(user, *, pseudonym: str) -> dict[str, int]:
    """Delete the person's uploads and notifications; replace their address in the record."""
    from django.db.models import Q

    from challenges.models import (
        Invitation,
        SentNotification,
        SubmissionEvent,
        SubmissionFile,
    )

    emails = _emails(user)
    counts = {
        "files": _files_delete(SubmissionFile.objects.filter(uploaded_by=user)),
        "notifications": SentNotification.objects.filter(recipient__in=emails).delete()[0],
        "invitations": Invitation.objects.filter(email__in=emails).update(
            email=f"{pseudonym}@erased.invalid"
        ),
        "file_events": SubmissionEvent.objects.filter(
            actor=user, action__in=["upload", "delete_file"]
        ).update(detail="a file (erased)"),
    }
    mentions = Q()
    for email in emails:
        mentions |= Q(detail__icontains=email)
    redacted = 0
    for event in SubmissionEvent.objects.filter(mentions):
        for email in emails:
            event.detail = _replace_ci(event.detail, email, pseudonym)
        event.save(update_fields=["detail"])
        redacted += 1
    counts["events_redacted"] = redacted
    return counts


def _replace_ci(text: str, old: str, new: str) -> str:
    import re

    return re.sub(re.escape(old), new, text, flags=re.IGNORECASE)


def apply_retention(*, now) -> dict[str, int]:
    """Delete supporting files of challenges closed longer ago than the retention period."""
    from django.conf import settings

    from challenges.models import SubmissionFile

    cutoff = now - timedelta(days=settings.PRIVACY_RETENTION_DAYS["challenge_files"])
    return {
        "files_deleted": _files_delete(
            SubmissionFile.objects.filter(submission__challenge__closes_at__lt=cutoff)
        )
    }
