"""xAPI statements about innovation challenges: submitted, reviewed and the decision.

Activities: the challenge (`challenge/<translation_key>`) and each submission
(`challenge-submission/<submission.key>`). The decision statement carries the skills the
challenge evidences, so that the skills profile and reports can count an accepted submission
without reading the challenges app (which sits above learners):

    context.extensions[SKILLS_EXTENSION] = [{"skill": "<skill code>", "level": 1..4}, ...]
"""

from django.conf import settings
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
    Verb,
)

from . import activity_iri, actor_for, send

VERB_SUBMITTED = "http://activitystrea.ms/schema/1.0/submit"
VERB_REVIEWED = "http://id.tincanapi.com/verb/reviewed"
# The decision is about the learner: they passed (accepted) or failed (rejected) the challenge.
VERB_ACCEPTED = "http://adlnet.gov/expapi/verbs/passed"
VERB_REJECTED = "http://adlnet.gov/expapi/verbs/failed"

CHALLENGE_TYPE = "http://id.tincanapi.com/activitytype/challenge"
SUBMISSION_TYPE = "http://id.tincanapi.com/activitytype/solution"


def _extension(name: str) -> str:
    return f"{settings.SITE_BASE_URL}/xapi/extensions/{name}"


SKILLS_EXTENSION = _extension("skills")
DECISION_EXTENSION = _extension("challenge-decision")


def challenge_activity(challenge) -> Activity:
    """The challenge page as an activity; its IRI follows the page's translation key."""
    return Activity(
        id=activity_iri("challenge", str(challenge.translation_key)),
        definition=ActivityDefinition(
            name=LanguageMap({"en-GB": challenge.title}), type=CHALLENGE_TYPE
        ),
    )


def submission_activity(submission) -> Activity:
    """A submission as an activity, named by its opaque key (no entrant names)."""
    return Activity(
        id=activity_iri("challenge-submission", str(submission.key)),
        definition=ActivityDefinition(
            name=LanguageMap({"en-GB": f"Submission {submission.reference}"}),
            type=SUBMISSION_TYPE,
        ),
    )


def _verb(iri: str, display: str) -> Verb:
    return Verb(id=iri, display=LanguageMap({"en-GB": display}))


def _team(submission) -> Group:
    members = [member.user for member in submission.members.select_related("user")]
    return Group(member=[actor_for(user) for user in members])


def challenge_skills(challenge) -> list[dict]:
    """The skills (by code) and level an accepted submission to this challenge evidences."""
    return [
        {"skill": code, "level": challenge.level}
        for code in challenge.skills.order_by("code").values_list("code", flat=True)
    ]


def submission_submitted(*, submission, user) -> list[str]:
    """The person who pressed submit submitted the challenge, for their team."""
    statement = Statement(
        actor=actor_for(user),
        verb=_verb(VERB_SUBMITTED, "submitted"),
        object=challenge_activity(submission.challenge),
        context=Context(
            team=_team(submission),
            context_activities=ContextActivities(other=[submission_activity(submission)]),
            extensions=Extensions({_extension("challenge-round"): submission.round}),
        ),
        timestamp=timezone.now(),
    )
    return send(statement)


def submission_reviewed(*, review, mentor) -> list[str]:
    """The mentor (the actor) reviewed a submission, with the weighted rubric score."""
    submission = review.assignment.submission
    statement = Statement(
        actor=actor_for(mentor),
        verb=_verb(VERB_REVIEWED, "reviewed"),
        object=submission_activity(submission),
        result=Result(
            score=Score(scaled=float(review.weighted_score) / 100),
            response=review.recommendation,
        ),
        context=Context(
            context_activities=ContextActivities(parent=[challenge_activity(submission.challenge)]),
            extensions=Extensions({_extension("challenge-round"): review.round}),
        ),
        timestamp=timezone.now(),
    )
    return send(statement)


def submission_decided(*, submission, manager) -> list[str]:
    """One statement per team member: they passed (accepted) or failed (rejected) the challenge.

    An accepted one is skills evidence: it names the challenge activity and carries its skills.
    """
    accepted = submission.status == "accepted"
    challenge = submission.challenge
    statements = [
        Statement(
            actor=actor_for(member.user),
            verb=_verb(VERB_ACCEPTED, "passed") if accepted else _verb(VERB_REJECTED, "failed"),
            object=challenge_activity(challenge),
            result=Result(success=accepted, completion=True),
            context=Context(
                instructor=actor_for(manager),
                context_activities=ContextActivities(other=[submission_activity(submission)]),
                extensions=Extensions(
                    {
                        DECISION_EXTENSION: "accepted" if accepted else "rejected",
                        SKILLS_EXTENSION: challenge_skills(challenge) if accepted else [],
                    }
                ),
            ),
            timestamp=timezone.now(),
        )
        for member in submission.members.select_related("user")
    ]
    return send(*statements)
