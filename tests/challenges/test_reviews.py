from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from challenges import selectors, services
from challenges.models import AssignmentStatus, MentorAssignment, SubmissionStatus
from challenges.permissions import (
    CONFLICT_SAME_DEPARTMENT,
    CONFLICT_TEAM_MEMBER,
    conflict_of_interest,
)
from challenges.services import reviews
from tests.factories.challenges import SubmissionFactory, assign, create_challenge
from tests.factories.learners import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def submitted(challenge, **kwargs):
    return SubmissionFactory(challenge=challenge, status=SubmissionStatus.SUBMITTED, **kwargs)


def scores_for(challenge, value):
    return {criterion.pk: value for criterion in challenge.rubric_criteria.all()}


def test_mentor_assign_starts_the_review(challenge, boss, mentors):
    submission = submitted(challenge)

    services.mentor_assign(submission_id=submission.pk, mentor=mentors[0], manager=boss)

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_REVIEW
    assert list(submission.events.values_list("action", flat=True)) == [
        "assign_mentor",
        "start_review",
    ]


def test_mentor_assign_by_someone_not_managing_is_refused(challenge, mentors):
    submission = submitted(challenge)

    with pytest.raises(PermissionDenied):
        services.mentor_assign(submission_id=submission.pk, mentor=mentors[0], manager=mentors[1])

    assert not MentorAssignment.objects.exists()


def test_conflict_of_interest_team_member_is_never_their_own_mentor(challenge, mentors):
    submission = submitted(challenge, members=[mentors[0]])

    assert conflict_of_interest(submission=submission, mentor=mentors[0]) == CONFLICT_TEAM_MEMBER


def test_conflict_of_interest_same_department_only_when_the_challenge_asks(mentors):
    strict = create_challenge(exclude_same_department=True)
    relaxed = create_challenge(exclude_same_department=False)
    colleague_org = mentors[0].profile.organisation
    for challenge in (strict, relaxed):
        entrant = UserFactory()
        ProfileFactory(user=entrant, organisation=colleague_org)
        submission = submitted(challenge, members=[entrant])
        expected = CONFLICT_SAME_DEPARTMENT if challenge is strict else None
        assert conflict_of_interest(submission=submission, mentor=mentors[0]) == expected


def test_mentor_assign_refuses_a_conflict_with_a_clear_message(challenge, boss, mentors):
    submission = submitted(challenge, members=[mentors[0]])

    with pytest.raises(ValidationError) as error:
        services.mentor_assign(submission_id=submission.pk, mentor=mentors[0], manager=boss)

    assert "is a member of the team" in error.value.message_dict["mentor"][0]
    assert not MentorAssignment.objects.exists()


def test_mentors_assign_automatically_balances_load(boss, mentors):
    challenge = create_challenge(managers=[boss], mentors_per_submission=1)
    busy = submitted(create_challenge())
    assign(busy, mentors[0])
    busy.status = SubmissionStatus.IN_REVIEW
    busy.save()
    entries = [submitted(challenge) for _ in range(5)]

    made, short = services.mentors_assign_automatically(challenge_id=challenge.pk, manager=boss)

    assert (made, short) == (5, 0)
    loads = {
        m.email: MentorAssignment.objects.filter(
            mentor=m, submission__in=entries, status=AssignmentStatus.ACTIVE
        ).count()
        for m in mentors
    }
    # mentor0 already had one open review elsewhere: everyone ends with two.
    assert loads == {mentors[0].email: 1, mentors[1].email: 2, mentors[2].email: 2}


def test_mentors_assign_automatically_skips_conflicts(boss, mentors):
    challenge = create_challenge(managers=[boss], mentors_per_submission=3)
    submission = submitted(challenge, members=[mentors[2]])

    made, short = services.mentors_assign_automatically(challenge_id=challenge.pk, manager=boss)

    assert (made, short) == (2, 1)
    assert set(submission.assignments.values_list("mentor", flat=True)) == {
        mentors[0].pk,
        mentors[1].pk,
    }


def test_assignment_declare_conflict_replaces_the_mentor(challenge, mentors):
    submission = submitted(challenge)
    assignment = assign(submission, mentors[0])

    replacement = services.assignment_declare_conflict(
        assignment_id=assignment.pk, mentor=mentors[0], reason="I manage one of them."
    )

    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.CONFLICT
    assert replacement.mentor in (mentors[1], mentors[2])
    assert replacement.status == AssignmentStatus.ACTIVE
    assert conflict_of_interest(submission=submission, mentor=mentors[0]) is not None


def test_assignment_declare_conflict_needs_a_reason(challenge, mentors):
    assignment = assign(submitted(challenge), mentors[0])

    with pytest.raises(ValidationError) as error:
        services.assignment_declare_conflict(
            assignment_id=assignment.pk, mentor=mentors[0], reason=" "
        )

    assert error.value.message_dict == {"reason": [reviews.REASON_REQUIRED]}


def in_review(challenge, mentor_users):
    submission = submitted(challenge)
    assignments = [assign(submission, m) for m in mentor_users]
    submission.status = SubmissionStatus.IN_REVIEW
    submission.save()
    return submission, assignments


def test_review_submit_weights_the_scores(challenge, mentors):
    submission, [assignment] = in_review(challenge, mentors[:1])
    first, second = challenge.rubric_criteria.all()

    review = services.review_submit(
        assignment_id=assignment.pk,
        mentor=mentors[0],
        scores={first.pk: 4, second.pk: 1},
        comments="Good start.",
        recommendation="shortlist",
    )

    # weights 1 and 2: (1 * 100 + 2 * 0) / 3
    assert review.weighted_score == Decimal("33.3")
    assert review.scores.count() == 2
    assert submission.events.filter(action="review", actor=mentors[0]).exists()


def test_review_submit_needs_every_criterion_and_refuses_a_second_review(challenge, mentors):
    submission, [assignment] = in_review(challenge, mentors[:1])
    first, second = challenge.rubric_criteria.all()

    with pytest.raises(ValidationError) as error:
        services.review_submit(
            assignment_id=assignment.pk,
            mentor=mentors[0],
            scores={first.pk: 3},
            comments="",
            recommendation="maybe",
        )
    assert set(error.value.message_dict) == {
        f"criterion-{second.pk}",
        "comments",
        "recommendation",
    }

    services.review_submit(
        assignment_id=assignment.pk,
        mentor=mentors[0],
        scores=scores_for(challenge, 3),
        comments="Fine.",
        recommendation="accept",
    )
    with pytest.raises(ValidationError) as error:
        services.review_submit(
            assignment_id=assignment.pk,
            mentor=mentors[0],
            scores=scores_for(challenge, 3),
            comments="Again.",
            recommendation="accept",
        )
    assert error.value.messages == [reviews.ALREADY_REVIEWED]


def test_review_submit_by_another_mentor_finds_nothing(challenge, mentors):
    submission, [assignment] = in_review(challenge, mentors[:1])

    with pytest.raises(MentorAssignment.DoesNotExist):
        services.review_submit(
            assignment_id=assignment.pk,
            mentor=mentors[1],
            scores=scores_for(challenge, 3),
            comments="Not mine.",
            recommendation="accept",
        )


def test_reviews_side_by_side_flags_disagreement_beyond_the_margin(boss, mentors):
    challenge = create_challenge(managers=[boss], disagreement_margin=20)
    submission, assignments = in_review(challenge, mentors[:2])
    first, second = challenge.rubric_criteria.all()
    for assignment, scores in zip(
        assignments, [{first.pk: 4, second.pk: 2}, {first.pk: 1, second.pk: 2}], strict=True
    ):
        services.review_submit(
            assignment_id=assignment.pk,
            mentor=assignment.mentor,
            scores=scores,
            comments="Scores.",
            recommendation="accept",
        )

    comparison = selectors.reviews_side_by_side(submission=submission)

    assert [row["disagree"] for row in comparison.rows] == [True, False]
    assert comparison.totals_disagree  # 55.6 against 22.2


def test_submission_decide_needs_a_review_first(challenge, boss, mentors):
    submission, _ = in_review(challenge, mentors[:1])

    with pytest.raises(ValidationError) as error:
        services.submission_decide(
            submission_id=submission.pk, manager=boss, decision="accept", feedback="Great."
        )

    assert error.value.messages == [reviews.NO_REVIEWS_YET]


def test_submission_decide_accept_is_final_and_audited(challenge, boss, mentors):
    submission, [assignment] = in_review(challenge, mentors[:1])
    services.review_submit(
        assignment_id=assignment.pk,
        mentor=mentors[0],
        scores=scores_for(challenge, 4),
        comments="Excellent.",
        recommendation="accept",
    )

    event = services.submission_decide(
        submission_id=submission.pk, manager=boss, decision="accept", feedback="Well done."
    )
    repeat = services.submission_decide(
        submission_id=submission.pk, manager=boss, decision="accept", feedback="Well done."
    )

    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    assert (event.actor, event.action, event.detail) == (boss, "accept", "Well done.")
    assert repeat is None
    with pytest.raises(ValidationError):
        services.submission_decide(
            submission_id=submission.pk, manager=boss, decision="reject", feedback="No."
        )
