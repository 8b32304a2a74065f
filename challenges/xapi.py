"""xAPI statements about innovation challenges: submitted, reviewed and the decision.

Activities: the challenge (`challenge/<translation_key>`) and each submission
(`challenge-submission/<submission.key>`). The decision is about each team member: they passed
(accepted) or failed (rejected) the challenge; an accepted one is skills evidence, read by the
platform's own mapping of challenges to skills (never from the statement).

Each builder returns xAPI 1.0.3 statement JSON; `challenges.services` store it with
`statements_store`.
"""

from django.utils import timezone
from tincan import (
    Activity,
    ActivityDefinition,
    Context,
    ContextActivities,
    Extensions,
    Group,
    LanguageMap,
    Result,
    Score,
    Statement,
)

from learners.xapi import (
    FAILED,
    LANGUAGE,
    PASSED,
    activity_iri,
    actor_for,
    extension_iri,
    statement_json,
    verb,
)

SUBMITTED = "http://activitystrea.ms/schema/1.0/submit"
REVIEWED = "http://id.tincanapi.com/verb/reviewed"

CHALLENGE_TYPE = "http://id.tincanapi.com/activitytype/challenge"
SUBMISSION_TYPE = "http://id.tincanapi.com/activitytype/solution"

DECISION_EXTENSION = extension_iri("challenge-decision")
ROUND_EXTENSION = extension_iri("challenge-round")


def challenge_iri(challenge) -> str:
    return activity_iri("challenge", str(challenge.translation_key))


def submission_iri(submission) -> str:
    return activity_iri("challenge-submission", str(submission.key))


def challenge_activity(challenge) -> Activity:
    """The challenge page as an activity; its IRI follows the page's translation key."""
    return Activity(
        id=challenge_iri(challenge),
        definition=ActivityDefinition(
            name=LanguageMap({LANGUAGE: challenge.title}), type=CHALLENGE_TYPE
        ),
    )


def submission_activity(submission) -> Activity:
    """A submission as an activity, named by its opaque key (no entrant names)."""
    return Activity(
        id=submission_iri(submission),
        definition=ActivityDefinition(
            name=LanguageMap({LANGUAGE: f"Submission {submission.reference}"}),
            type=SUBMISSION_TYPE,
        ),
    )


def _team(submission) -> Group:
    members = [member.user for member in submission.members.select_related("user")]
    return Group(member=[actor_for(user) for user in members])


def submission_submitted(*, submission, user) -> list[dict]:
    """The person who pressed submit submitted the challenge, for their team."""
    statement = Statement(
        actor=actor_for(user),
        verb=verb(SUBMITTED, "submitted"),
        object=challenge_activity(submission.challenge),
        context=Context(
            team=_team(submission),
            context_activities=ContextActivities(other=[submission_activity(submission)]),
            extensions=Extensions({ROUND_EXTENSION: submission.round}),
        ),
        timestamp=timezone.now(),
    )
    return [statement_json(statement)]


def submission_reviewed(*, review, mentor) -> list[dict]:
    """The mentor (the actor) reviewed a submission, with the weighted rubric score."""
    submission = review.assignment.submission
    statement = Statement(
        actor=actor_for(mentor),
        verb=verb(REVIEWED, "reviewed"),
        object=submission_activity(submission),
        result=Result(
            score=Score(scaled=float(review.weighted_score) / 100),
            response=review.recommendation,
        ),
        context=Context(
            context_activities=ContextActivities(parent=[challenge_activity(submission.challenge)]),
            extensions=Extensions({ROUND_EXTENSION: review.round}),
        ),
        timestamp=timezone.now(),
    )
    return [statement_json(statement)]


def submission_decided(*, submission, manager) -> list[dict]:
    """One statement per team member: they passed (accepted) or failed (rejected) the challenge."""
    accepted = submission.status == "accepted"
    challenge = submission.challenge
    return [
        statement_json(
            Statement(
                actor=actor_for(member.user),
                verb=verb(PASSED) if accepted else verb(FAILED),
                object=challenge_activity(challenge),
                result=Result(success=accepted, completion=True),
                context=Context(
                    instructor=actor_for(manager),
                    context_activities=ContextActivities(other=[submission_activity(submission)]),
                    extensions=Extensions(
                        {DECISION_EXTENSION: "accepted" if accepted else "rejected"}
                    ),
                ),
                timestamp=timezone.now(),
            )
        )
        for member in submission.members.select_related("user")
    ]
