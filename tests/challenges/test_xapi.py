import json

import pytest

from challenges import services, xapi
from challenges.models import SubmissionStatus
from learners.lrs.models import Statement
from learners.xapi import FAILED, PASSED, activity_iri
from tests.factories.challenges import SubmissionFactory, assign
from tests.factories.learners import UserFactory

pytestmark = pytest.mark.django_db


def payloads(verb):
    return [json.loads(s.payload) for s in Statement.objects.filter(verb_id=verb)]


def test_submission_submitted_names_the_challenge_and_the_team(challenge, learner):
    friend = UserFactory()
    submission = SubmissionFactory(challenge=challenge, created_by=learner, members=[friend])

    services.submission_submit(submission_id=submission.pk, user=learner, expected_round=1)

    [statement] = payloads(xapi.SUBMITTED)
    assert statement["actor"]["account"]["name"] == str(learner.learner_id)
    assert statement["object"]["id"] == activity_iri("challenge", str(challenge.translation_key))
    team = {m["account"]["name"] for m in statement["context"]["team"]["member"]}
    assert team == {str(learner.learner_id), str(friend.learner_id)}
    assert "mbox" not in json.dumps(statement)


def test_review_and_acceptance_statements_carry_mentor_and_decision(challenge, boss, mentors):
    submission = SubmissionFactory(challenge=challenge, status=SubmissionStatus.IN_REVIEW)
    lead = submission.created_by
    assignment = assign(submission, mentors[0])
    services.review_submit(
        assignment_id=assignment.pk,
        mentor=mentors[0],
        scores={c.pk: 4 for c in challenge.rubric_criteria.all()},
        comments="Excellent.",
        recommendation="accept",
    )
    services.submission_decide(
        submission_id=submission.pk, manager=boss, decision="accept", feedback="Yes."
    )

    [reviewed] = payloads(xapi.REVIEWED)
    assert reviewed["actor"]["account"]["name"] == str(mentors[0].learner_id)
    assert reviewed["result"]["score"]["scaled"] == 1.0
    assert reviewed["object"]["id"] == activity_iri("challenge-submission", str(submission.key))
    [accepted] = payloads(PASSED)
    assert accepted["actor"]["account"]["name"] == str(lead.learner_id)
    assert accepted["object"]["id"] == activity_iri("challenge", str(challenge.translation_key))
    assert accepted["result"]["success"] is True
    extensions = accepted["context"]["extensions"]
    assert extensions[xapi.DECISION_EXTENSION] == "accepted"
    assert list(extensions) == [xapi.DECISION_EXTENSION]
    row = Statement.objects.get(verb_id=PASSED)
    assert row.result_success is True


def test_rejection_is_a_failed_statement(challenge, boss, mentors):
    submission = SubmissionFactory(challenge=challenge, status=SubmissionStatus.IN_REVIEW)
    assignment = assign(submission, mentors[0])
    services.review_submit(
        assignment_id=assignment.pk,
        mentor=mentors[0],
        scores={c.pk: 1 for c in challenge.rubric_criteria.all()},
        comments="Not yet.",
        recommendation="reject",
    )

    services.submission_decide(
        submission_id=submission.pk, manager=boss, decision="reject", feedback="Sorry."
    )

    [failed] = payloads(FAILED)
    assert failed["result"]["success"] is False
    assert failed["context"]["extensions"] == {xapi.DECISION_EXTENSION: "rejected"}
    assert not Statement.objects.filter(verb_id=PASSED).exists()
