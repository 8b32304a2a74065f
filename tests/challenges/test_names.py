"""Entrants and mentors are shown by name to their team, their mentors and the managers."""

import pytest
from django.urls import reverse

from tests.challenges.conftest import client_for
from tests.factories.challenges import SubmissionFactory, assign
from tests.factories.learners import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(challenge, learner, mentors):
    learner.first_name, learner.last_name = "Amara", "Nwosu"
    learner.save()
    mentors[0].first_name, mentors[0].last_name = "Tomasz", "Kowalski"
    mentors[0].save()
    submission = SubmissionFactory(challenge=challenge, created_by=learner)
    submission.status = "in_review"
    submission.save()
    return submission


def test_team_list_shows_members_by_name(submission, learner):
    html = (
        client_for(learner).get(reverse("challenges:submission_detail", args=[submission.pk])).text
    )

    assert "Amara Nwosu (started the submission)" in html
    assert "learner@example.gov.uk (started" not in html


def test_mentor_and_manager_see_the_entrant_and_the_mentor_by_name(
    submission, challenge, boss, mentors
):
    challenge.blind_review = False
    challenge.save()
    assignment = assign(submission, mentors[0])

    review = client_for(mentors[0]).get(reverse("challenges:review", args=[assignment.pk])).text
    managed = (
        client_for(boss).get(reverse("challenges:manage_submission", args=[submission.pk])).text
    )

    assert "Amara Nwosu" in review
    assert "Amara Nwosu" in managed and "Tomasz Kowalski" in managed


def test_a_person_without_a_name_yet_is_shown_by_email(challenge):
    unnamed = UserFactory(first_name="", last_name="", email="no.name@example.gov.uk")
    submission = SubmissionFactory(challenge=challenge, created_by=unnamed)

    html = (
        client_for(unnamed).get(reverse("challenges:submission_detail", args=[submission.pk])).text
    )

    assert "no.name@example.gov.uk (started the submission)" in html
