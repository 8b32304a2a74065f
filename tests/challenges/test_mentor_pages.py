"""What mentors and managers read: error order, conflict outcomes, shortfalls, the Done list."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from challenges import services
from challenges.models import SubmissionStatus
from learners.models import Role
from tests.challenges.conftest import client_for
from tests.factories.challenges import SubmissionFactory, assign, create_challenge, mentor

pytestmark = pytest.mark.django_db


def _summary(html: str) -> list[str]:
    summary = html.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    return re.findall(r">([^<]+)</a>", summary)


def test_review_error_summary_follows_the_order_of_the_fields(boss, learner):
    challenge = create_challenge(managers=[boss], criteria=2)
    reviewer = mentor()
    submission = SubmissionFactory(
        challenge=challenge, created_by=learner, status=SubmissionStatus.IN_REVIEW
    )
    assignment = assign(submission, reviewer)

    response = client_for(reviewer).post(
        reverse("challenges:review", args=[assignment.pk]), {"comments": ""}
    )

    assert _summary(response.content.decode()) == [
        "Choose a score for Criterion 1",
        "Choose a score for Criterion 2",
        "Enter your comments for the entrants",
        "Choose a recommendation",
    ]


def _in_review(challenge, learner):
    return SubmissionFactory(
        challenge=challenge, created_by=learner, status=SubmissionStatus.IN_REVIEW
    )


def _conflict_message(client, assignment) -> str:
    url = reverse("challenges:review_conflict", args=[assignment.pk])
    response = client.post(url, {"reason": "I line-manage the entrant."}, follow=True)
    return response.content.decode()


def test_conflict_message_says_the_submission_went_to_another_mentor_when_it_did(
    challenge, learner
):
    first, _second = mentor(), mentor()
    assignment = assign(_in_review(challenge, learner), first)

    html = _conflict_message(client_for(first), assignment)

    assert "it has been passed to another mentor" in html


def test_conflict_message_says_the_submission_waits_when_no_mentor_is_free(challenge, learner):
    Group.objects.filter(name=Role.MENTOR.value).delete()
    only = mentor()
    submission = _in_review(challenge, learner)
    assignment = assign(submission, only)

    html = _conflict_message(client_for(only), assignment)

    assert "passed to another mentor" not in html
    assert "No other mentor is free to take it" in html


def test_manager_is_told_why_no_mentor_can_take_a_submission(challenge, boss, learner):
    Group.objects.filter(name=Role.MENTOR.value).delete()
    stepped_aside, teammate = mentor(), mentor()
    submission = _in_review(challenge, learner)
    submission.members.create(user=teammate)
    assignment = assign(submission, stepped_aside)
    services.assignment_declare_conflict(
        assignment_id=assignment.pk, mentor=stepped_aside, reason="Knows the team."
    )

    html = (
        client_for(boss)
        .get(reverse("challenges:manage_submission", args=[submission.pk]))
        .content.decode()
    )

    assert "No mentor can review this submission." in html
    assert "1 is a member of the team" in html
    assert "1 has declared a conflict of interest" in html


def test_manager_sees_no_shortfall_warning_while_a_mentor_can_be_assigned(challenge, boss, learner):
    mentor()
    submission = _in_review(challenge, learner)

    html = (
        client_for(boss)
        .get(reverse("challenges:manage_submission", args=[submission.pk]))
        .content.decode()
    )

    assert "No mentor can review this submission" not in html


def test_done_list_keeps_earlier_reviews_after_a_resubmission(challenge, learner):
    reviewer = mentor()
    submission = _in_review(challenge, learner)
    assignment = assign(submission, reviewer)
    criteria = challenge.rubric_criteria.all()
    services.review_submit(
        assignment_id=assignment.pk,
        mentor=reviewer,
        scores={criterion.pk: 3 for criterion in criteria},
        comments="Good start.",
        recommendation="request_changes",
    )
    submission.refresh_from_db()
    submission.status = SubmissionStatus.IN_REVIEW  # resubmitted: version 2 waits
    submission.round = 2
    submission.save()

    html = client_for(reviewer).get(reverse("challenges:review_queue")).content.decode()
    to_review, done = html.split(">Done</h2>")

    assert submission.title in to_review
    assert submission.title in done
    assert "Version 1" in done


def test_audit_trail_names_statuses_as_people_read_them(challenge, boss, learner):
    submission = _in_review(challenge, learner)
    submission.events.create(
        actor=learner, action="start_review", from_status="submitted", to_status="in_review"
    )

    html = (
        client_for(boss)
        .get(reverse("challenges:manage_submission", args=[submission.pk]))
        .content.decode()
    )

    assert "(submitted to in review)" in html
    assert "in_review" not in html.split("Audit trail")[1]
