"""Mentors and managers: assignment (by hand or balanced), conflicts, reviews and decisions."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from challenges import xapi
from challenges.models import (
    AssignmentStatus,
    ChallengePage,
    CriterionScore,
    MentorAssignment,
    Recommendation,
    Review,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from challenges.permissions import conflict_of_interest, is_manager
from challenges.scoring import weighted_score
from learners.lrs.services import statements_store
from learners.models import Role

from ._common import enqueue, lock_submission
from .workflow import TRANSITIONS, event_record, submission_transition

NOT_MANAGER = "Only this challenge's managers can do that."
NOT_REVIEWABLE = "Mentors can be assigned only to submitted entries."
ALREADY_ASSIGNED = "{mentor} is already assigned to this submission."
MENTOR_CONFLICT = "{mentor} cannot review this submission: they {reason}."
NO_LONGER_ASSIGNED = "You are no longer assigned to this submission."
NOT_WAITING = "This submission is not waiting for a review."
ALREADY_REVIEWED = "You have already reviewed this version of the submission."
SCORE_REQUIRED = "Choose a score for {criterion}"
COMMENTS_REQUIRED = "Enter your comments for the entrants"
RECOMMENDATION_REQUIRED = "Choose a recommendation"
REASON_REQUIRED = "Enter why you have a conflict of interest"
DECISION_REQUIRED = "Choose a decision"
FEEDBACK_REQUIRED = "Enter feedback for the entrants"
NO_REVIEWS_YET = "Wait for at least one mentor review of this version before deciding."

OPEN_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.IN_REVIEW)


def _require_manager(user, challenge: ChallengePage) -> None:
    if not is_manager(user, challenge):
        raise PermissionDenied(NOT_MANAGER)


def _mentor_pool():
    return (
        get_user_model()
        .objects.filter(groups__name=Role.MENTOR, is_active=True)
        .annotate(
            load=Count(
                "challenge_assignments",
                filter=Q(
                    challenge_assignments__status=AssignmentStatus.ACTIVE,
                    challenge_assignments__submission__status__in=OPEN_STATUSES,
                ),
            )
        )
        .order_by("load", "pk")
    )


def _assign(*, submission: Submission, mentor, assigned_by) -> MentorAssignment:
    if submission.status not in OPEN_STATUSES:
        raise ValidationError({"mentor": NOT_REVIEWABLE})
    reason = conflict_of_interest(submission=submission, mentor=mentor)
    if reason:
        raise ValidationError({"mentor": MENTOR_CONFLICT.format(mentor=mentor, reason=reason)})
    assignment = MentorAssignment.objects.filter(submission=submission, mentor=mentor).first()
    if assignment and assignment.status == AssignmentStatus.ACTIVE:
        raise ValidationError({"mentor": ALREADY_ASSIGNED.format(mentor=mentor)})
    if assignment is None:
        assignment = MentorAssignment(submission=submission, mentor=mentor)
    assignment.status = AssignmentStatus.ACTIVE
    assignment.assigned_by = assigned_by
    assignment.ended_at = None
    assignment.full_clean()
    assignment.save()
    event_record(
        submission=submission,
        actor=assigned_by,
        action="assign_mentor",
        detail=f"{mentor.email} ({'by hand' if assigned_by else 'automatically'})",
    )
    if submission.status == SubmissionStatus.SUBMITTED:
        submission_transition(submission=submission, actor=assigned_by, action="start_review")
    from challenges import tasks

    enqueue(tasks.notify_mentor_assigned, assignment.pk)
    return assignment


def _fill(*, submission: Submission, pool: list, load: dict) -> list[MentorAssignment]:
    """Give the submission its quota of mentors, least loaded first, skipping conflicts."""
    active = submission.assignments.filter(status=AssignmentStatus.ACTIVE).count()
    needed = submission.challenge.mentors_per_submission - active
    tried = set(submission.assignments.values_list("mentor_id", flat=True))
    created = []
    for mentor in sorted(pool, key=lambda m: (load[m.pk], m.pk)):
        if needed <= 0:
            break
        if mentor.pk in tried or conflict_of_interest(submission=submission, mentor=mentor):
            continue
        created.append(_assign(submission=submission, mentor=mentor, assigned_by=None))
        load[mentor.pk] += 1
        needed -= 1
    return created


@transaction.atomic
def mentor_assign(*, submission_id: int, mentor, manager) -> MentorAssignment:
    """A manager assigns a mentor by hand; conflicts of interest are refused."""
    submission = lock_submission(submission_id)
    _require_manager(manager, submission.challenge)
    return _assign(submission=submission, mentor=mentor, assigned_by=manager)


@transaction.atomic
def mentors_assign_automatically(*, challenge_id: int, manager) -> tuple[int, int]:
    """Give every open submission its quota of mentors, balancing the mentors' open load.

    Returns (assignments made, submissions still short of mentors).
    """
    challenge = ChallengePage.objects.get(pk=challenge_id)
    _require_manager(manager, challenge)
    pool = list(_mentor_pool())
    load = {mentor.pk: mentor.load for mentor in pool}
    made, short = 0, 0
    submissions = (
        Submission.objects.select_for_update(of=("self",))
        .filter(challenge=challenge, status__in=OPEN_STATUSES)
        .select_related("challenge")
        .order_by("submitted_at", "pk")
    )
    for submission in submissions:
        made += len(_fill(submission=submission, pool=pool, load=load))
        active = submission.assignments.filter(status=AssignmentStatus.ACTIVE).count()
        short += active < challenge.mentors_per_submission
    return made, short


@transaction.atomic
def assignment_remove(*, assignment_id: int, manager) -> MentorAssignment:
    """A manager takes a mentor off a submission (the mentor keeps any review written)."""
    assignment = MentorAssignment.objects.select_for_update().get(pk=assignment_id)
    submission = lock_submission(assignment.submission_id)
    _require_manager(manager, submission.challenge)
    if assignment.status != AssignmentStatus.ACTIVE:
        raise ValidationError(NO_LONGER_ASSIGNED, code="not_active")
    assignment.status = AssignmentStatus.REMOVED
    assignment.ended_at = timezone.now()
    assignment.save()
    event_record(
        submission=submission,
        actor=manager,
        action="remove_mentor",
        detail=assignment.mentor.email,
    )
    return assignment


@transaction.atomic
def assignment_declare_conflict(
    *, assignment_id: int, mentor, reason: str
) -> MentorAssignment | None:
    """A mentor steps aside for a conflict of interest; another mentor replaces them.

    Returns the replacement assignment, or None when no eligible mentor is free.
    """
    assignment = MentorAssignment.objects.select_for_update().get(pk=assignment_id, mentor=mentor)
    if assignment.status != AssignmentStatus.ACTIVE:
        raise ValidationError(NO_LONGER_ASSIGNED, code="not_active")
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    submission = lock_submission(assignment.submission_id)
    assignment.status = AssignmentStatus.CONFLICT
    assignment.conflict_reason = reason.strip()
    assignment.ended_at = timezone.now()
    assignment.full_clean()
    assignment.save()
    event_record(submission=submission, actor=mentor, action="declare_conflict")
    if submission.status not in OPEN_STATUSES:
        return None
    pool = list(_mentor_pool())
    created = _fill(submission=submission, pool=pool, load={m.pk: m.load for m in pool})
    return created[0] if created else None


@transaction.atomic
def review_submit(
    *, assignment_id: int, mentor, scores: dict[int, int], comments: str, recommendation: str
) -> Review:
    """A mentor scores every rubric criterion, comments and recommends; once per round."""
    assignment = MentorAssignment.objects.select_for_update().get(pk=assignment_id, mentor=mentor)
    if assignment.status != AssignmentStatus.ACTIVE:
        raise ValidationError(NO_LONGER_ASSIGNED, code="not_active")
    submission = lock_submission(assignment.submission_id)
    if submission.status != SubmissionStatus.IN_REVIEW:
        raise ValidationError(NOT_WAITING, code="not_waiting")
    if Review.objects.filter(assignment=assignment, round=submission.round).exists():
        raise ValidationError(ALREADY_REVIEWED, code="already_reviewed")
    criteria = list(submission.challenge.rubric_criteria.all())
    errors = {}
    for criterion in criteria:
        if scores.get(criterion.pk) not in (1, 2, 3, 4):
            errors[f"criterion-{criterion.pk}"] = SCORE_REQUIRED.format(criterion=criterion.title)
    if not comments.strip():
        errors["comments"] = COMMENTS_REQUIRED
    if recommendation not in Recommendation.values:
        errors["recommendation"] = RECOMMENDATION_REQUIRED
    if errors:
        raise ValidationError(errors)
    review = Review(
        assignment=assignment,
        round=submission.round,
        comments=comments.strip(),
        recommendation=recommendation,
        weighted_score=weighted_score([(c.weight, scores[c.pk]) for c in criteria]),
    )
    review.full_clean()
    review.save()
    for criterion in criteria:
        score = CriterionScore(review=review, criterion=criterion, score=scores[criterion.pk])
        score.full_clean()
        score.save()
    event_record(submission=submission, actor=mentor, action="review", detail=recommendation)
    statements_store(statements=xapi.submission_reviewed(review=review, mentor=mentor))
    return review


@transaction.atomic
def submission_decide(
    *, submission_id: int, manager, decision: str, feedback: str
) -> SubmissionEvent | None:
    """The manager decides after at least one review of the current round.

    Accept and reject are final; an accepted submission is evidence of the challenge's skills.
    A repeated identical decision (a double click) changes nothing and returns None.
    """
    from challenges import tasks

    submission = lock_submission(submission_id)
    _require_manager(manager, submission.challenge)
    errors = {}
    if decision not in Recommendation.values:
        errors["decision"] = DECISION_REQUIRED
    if not feedback.strip():
        errors["feedback"] = FEEDBACK_REQUIRED
    if errors:
        raise ValidationError(errors)
    if submission.status == TRANSITIONS[decision][1] and submission.decided_by_id == manager.pk:
        return None
    if not Review.objects.filter(
        assignment__submission=submission, round=submission.round
    ).exists():
        raise ValidationError(NO_REVIEWS_YET, code="no_reviews")
    event = submission_transition(
        submission=submission, actor=manager, action=decision, detail=feedback.strip()
    )
    submission.decision_feedback = feedback.strip()
    submission.save(update_fields=["decision_feedback", "updated_at"])
    if submission.status in (SubmissionStatus.ACCEPTED, SubmissionStatus.REJECTED):
        statements_store(statements=xapi.submission_decided(submission=submission, manager=manager))
    enqueue(tasks.notify_decision, event.pk)
    return event
