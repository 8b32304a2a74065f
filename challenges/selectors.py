"""Reads about challenges, each scoped to what the user may see."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from challenges.models import (
    AssignmentStatus,
    ChallengeIndexPage,
    ChallengePage,
    CriterionScore,
    Invitation,
    InvitationStatus,
    MentorAssignment,
    Review,
    Submission,
    SubmissionMember,
    SubmissionStatus,
)
from challenges.permissions import (
    CONFLICT_DECLARED,
    CONFLICT_SAME_DEPARTMENT,
    CONFLICT_TEAM_MEMBER,
    conflict_of_interest,
    is_manager,
)
from challenges.scoring import disagrees, score_percent
from learners.models import Role, User


def challenge_list(*, index: ChallengeIndexPage) -> QuerySet[ChallengePage]:
    """Live challenges under the index: open ones first (closing soonest first), then those
    not open yet (opening soonest first), then closed ones (most recently closed first).
    Each row has `state`: "open", "upcoming" or "closed".
    """
    now = timezone.now()
    return (
        ChallengePage.objects.child_of(index)
        .live()
        .select_related("sponsor")
        .prefetch_related("skills")
        .annotate(
            rank=Case(
                When(closes_at__lte=now, then=Value(2)),
                When(opens_at__gt=now, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            state=Case(
                When(closes_at__lte=now, then=Value("closed")),
                When(opens_at__gt=now, then=Value("upcoming")),
                default=Value("open"),
                output_field=CharField(),
            ),
            # Soonest first among open and upcoming ones; closed ones fall to "-closes_at".
            soonest=Case(
                When(closes_at__lte=now, then=Value(None)),
                When(opens_at__gt=now, then=F("opens_at")),
                default=F("closes_at"),
                output_field=DateTimeField(),
            ),
        )
        .order_by("rank", "soonest", "-closes_at")
    )


@dataclass
class Entry:
    """What a challenge page shows one person about their own entry."""

    is_open: bool
    submission: Submission | None = None
    invitations: list = field(default_factory=list)


def challenge_entry_for_user(*, challenge: ChallengePage, user) -> Entry:
    """The user's own submission (not withdrawn) to this challenge, and invitations to it."""
    entry = Entry(is_open=challenge.is_open_at(timezone.now()))
    if not user.is_authenticated:
        return entry
    entry.submission = (
        Submission.objects.filter(challenge=challenge, members__user=user)
        .exclude(status=SubmissionStatus.WITHDRAWN)
        .first()
    )
    entry.invitations = list(
        Invitation.objects.filter(
            submission__challenge=challenge,
            email__iexact=user.email,
            status=InvitationStatus.PENDING,
        )
    )
    return entry


def submissions_of_member(*, user) -> QuerySet[Submission]:
    """The submissions the user is a team member of: the only ones an entrant sees."""
    return (
        Submission.objects.filter(members__user=user)
        .select_related("challenge")
        .order_by("-updated_at")
    )


def invitations_for(*, user) -> QuerySet[Invitation]:
    """Open invitations sent to the user's email address."""
    return Invitation.objects.filter(
        email__iexact=user.email, status=InvitationStatus.PENDING
    ).select_related("submission__challenge", "invited_by")


def submission_for_member(*, user, submission_id: int) -> Submission:
    """One of the user's own submissions with its team, files and invitations."""
    return (
        submissions_of_member(user=user)
        .prefetch_related(
            Prefetch("members", queryset=SubmissionMember.objects.select_related("user")),
            "files",
            Prefetch(
                "invitations", queryset=Invitation.objects.filter(status=InvitationStatus.PENDING)
            ),
        )
        .get(pk=submission_id)
    )


def feedback_for_entrants(*, submission: Submission) -> list[dict]:
    """Mentor reviews the team may read: those of rounds the manager has decided on.

    Mentors are numbered, never named, to the entrants.
    """
    decided_statuses = (
        SubmissionStatus.CHANGES_REQUESTED,
        SubmissionStatus.SHORTLISTED,
        SubmissionStatus.ACCEPTED,
        SubmissionStatus.REJECTED,
    )
    if submission.status in decided_statuses:
        last_round = submission.round
    else:
        last_round = submission.round - 1
    reviews = (
        Review.objects.filter(assignment__submission=submission, round__lte=last_round)
        .prefetch_related(
            Prefetch("scores", queryset=CriterionScore.objects.select_related("criterion"))
        )
        .order_by("-round", "submitted_at")
    )
    return [{"number": number, "review": review} for number, review in enumerate(reviews, start=1)]


def mentor_queue(*, user) -> dict[str, list[MentorAssignment]]:
    """The mentor's active assignments: waiting for their review of the current round, and
    done (reviewed before, or no longer waiting). A resubmitted one can be in both.
    """
    assignments = (
        MentorAssignment.objects.filter(mentor=user, status=AssignmentStatus.ACTIVE)
        .exclude(submission__status__in=[SubmissionStatus.WITHDRAWN, SubmissionStatus.DRAFT])
        .select_related("submission__challenge")
        .prefetch_related("reviews")
        .order_by("submission__challenge__closes_at", "assigned_at")
    )
    to_review, done = [], []
    for assignment in assignments:
        submission = assignment.submission
        # The versions this mentor reviewed: after a resubmission the new version is waiting
        # and the earlier reviews still count as done.
        assignment.reviewed_rounds = sorted(review.round for review in assignment.reviews.all())
        waiting = (
            submission.status == SubmissionStatus.IN_REVIEW
            and submission.round not in assignment.reviewed_rounds
        )
        if waiting:
            to_review.append(assignment)
        if not waiting or assignment.reviewed_rounds:
            done.append(assignment)
    return {"to_review": to_review, "done": done}


def assignment_for_mentor(*, user, assignment_id: int) -> MentorAssignment:
    """An assignment of this mentor's that is still active (others raise DoesNotExist)."""
    return (
        MentorAssignment.objects.filter(mentor=user, status=AssignmentStatus.ACTIVE)
        .exclude(submission__status=SubmissionStatus.WITHDRAWN)
        .select_related("submission__challenge")
        .get(pk=assignment_id)
    )


def review_of(*, assignment: MentorAssignment) -> Review | None:
    """The mentor's review of the submission's current round, if written."""
    return (
        assignment.reviews.filter(round=assignment.submission.round)
        .prefetch_related("scores")
        .first()
    )


def challenges_managed(*, user) -> QuerySet[ChallengePage]:
    """The challenges the user manages (every challenge for a superuser)."""
    challenges = ChallengePage.objects.all()
    if not user.is_superuser:
        challenges = challenges.filter(managers=user)
    return challenges


def challenges_managed_by(*, user) -> QuerySet[ChallengePage]:
    """The challenges the user manages, with their count of submissions awaiting a decision."""
    return (
        challenges_managed(user=user)
        .annotate(
            open_count=Count(
                "submissions",
                filter=Q(
                    submissions__status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.IN_REVIEW]
                ),
            )
        )
        .order_by("closes_at")
    )


def submissions_for_manager(*, user, challenge_id: int) -> tuple[ChallengePage, QuerySet]:
    """A managed challenge and its submissions (drafts are the teams' own business)."""
    challenge = challenges_managed_by(user=user).get(pk=challenge_id)
    submissions = (
        challenge.submissions.exclude(status=SubmissionStatus.DRAFT)
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=MentorAssignment.objects.filter(
                    status=AssignmentStatus.ACTIVE
                ).select_related("mentor"),
                to_attr="active_assignments",
            )
        )
        .order_by("status", "submitted_at")
    )
    return challenge, submissions


def submission_for_manager(*, user, submission_id: int) -> Submission:
    """A submission to a challenge the user manages (others raise DoesNotExist)."""
    submission = (
        Submission.objects.select_related("challenge")
        .prefetch_related(
            Prefetch(
                "members", queryset=SubmissionMember.objects.select_related("user", "user__profile")
            ),
            "files",
            Prefetch("assignments", queryset=MentorAssignment.objects.select_related("mentor")),
        )
        .get(pk=submission_id)
    )
    if not is_manager(user, submission.challenge):
        raise Submission.DoesNotExist
    return submission


def eligible_mentors(*, submission: Submission) -> list[User]:
    """Mentors a manager may assign by hand: no conflict, not already assigned."""
    assigned = set(submission.assignments.values_list("mentor_id", flat=True))
    mentors = User.objects.filter(groups__name=Role.MENTOR, is_active=True).exclude(pk__in=assigned)
    return [m for m in mentors if not conflict_of_interest(submission=submission, mentor=m)]


@dataclass
class MentorShortfall:
    """Why a submission waiting for mentors has fewer than it needs and nobody to add."""

    needed: int
    mentors: int
    reasons: list[tuple[int, str]]  # (how many mentors, the reason that rules them out)
    already_assigned: int


PLURAL_REASONS = {
    CONFLICT_TEAM_MEMBER: "are members of the team",
    CONFLICT_SAME_DEPARTMENT: "work in the same department as an entrant",
    CONFLICT_DECLARED: "have declared a conflict of interest",
}


def mentor_shortfall(*, submission: Submission) -> MentorShortfall | None:
    """None unless the submission is waiting for review, short of its quota of mentors, and
    no mentor can be added: then how many are needed and what rules each mentor out.
    """
    if submission.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.IN_REVIEW):
        return None
    active = submission.assignments.filter(status=AssignmentStatus.ACTIVE).count()
    needed = submission.challenge.mentors_per_submission - active
    if needed <= 0:
        return None
    mentors = list(User.objects.filter(groups__name=Role.MENTOR, is_active=True))
    assigned = set(submission.assignments.values_list("mentor_id", flat=True))
    reasons: dict[str, int] = {}
    already = 0
    for mentor in mentors:
        reason = conflict_of_interest(submission=submission, mentor=mentor)
        if reason:
            reasons[reason] = reasons.get(reason, 0) + 1
        elif mentor.pk in assigned:
            already += 1
        else:
            return None  # someone can still be assigned
    return MentorShortfall(
        needed=needed,
        mentors=len(mentors),
        reasons=[
            (count, reason if count == 1 else PLURAL_REASONS.get(reason, reason))
            for reason, count in sorted(reasons.items())
        ],
        already_assigned=already,
    )


@dataclass
class ReviewComparison:
    """Reviews of one round side by side: rows per criterion, flagged where mentors disagree."""

    reviews: list[Review]
    rows: list[dict]
    totals_disagree: bool


def reviews_side_by_side(*, submission: Submission, round: int | None = None) -> ReviewComparison:
    """All reviews of a round, each criterion's scores in one row, flagged beyond the margin."""
    round = round or submission.round
    challenge = submission.challenge
    reviews = list(
        Review.objects.filter(assignment__submission=submission, round=round)
        .select_related("assignment__mentor")
        .prefetch_related("scores")
        .order_by("submitted_at")
    )
    rows = []
    for criterion in challenge.rubric_criteria.all():
        scores = []
        for review in reviews:
            found = next(
                (s.score for s in review.scores.all() if s.criterion_id == criterion.pk), None
            )
            scores.append(found)
        known = [score_percent(s) for s in scores if s is not None]
        rows.append(
            {
                "criterion": criterion,
                "scores": scores,
                "disagree": disagrees(known, margin=challenge.disagreement_margin),
            }
        )
    totals = [Decimal(review.weighted_score) for review in reviews]
    return ReviewComparison(
        reviews=reviews,
        rows=rows,
        totals_disagree=disagrees(totals, margin=challenge.disagreement_margin),
    )


def evidencing_challenges() -> QuerySet[ChallengePage]:
    """Live challenges with their skills: an accepted submission evidences each at the level."""
    return ChallengePage.objects.live().prefetch_related("skills")
