"""Every challenge URL, for the people who may use it and for those who may not."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from challenges import services
from challenges.models import (
    Invitation,
    MentorAssignment,
    Review,
    Submission,
    SubmissionEvent,
    SubmissionFile,
    SubmissionStatus,
)
from tests.challenges.conftest import client_for
from tests.factories.challenges import (
    SubmissionFactory,
    assign,
    create_challenge,
    manager,
    mentor,
)
from tests.factories.learners import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def world(challenge, boss, learner, mentors):
    """A submission in review with a file, an invitation, and people with and without rights."""
    submission = SubmissionFactory(challenge=challenge, created_by=learner)
    record = services.file_upload(
        submission_id=submission.pk,
        user=learner,
        upload=SimpleUploadedFile("plan.pdf", PDF),
    )
    invitation = services.invitation_create(
        submission_id=submission.pk, user=learner, email="invitee@example.gov.uk"
    )
    submission.status = SubmissionStatus.IN_REVIEW
    submission.save()
    assignment = assign(submission, mentors[0])
    other_manager = manager()
    create_challenge(managers=[other_manager])
    return {
        "submission": submission,
        "file": record,
        "invitation": invitation,
        "assignment": assignment,
        "member": learner,
        "mentor": mentors[0],
        "other_mentor": mentors[1],
        "manager": boss,
        "other_manager": other_manager,
        "outsider": UserFactory(),
        "invitee": UserFactory(email="invitee@example.gov.uk"),
    }


def entrant_urls(w):
    s, f = w["submission"], w["file"]
    return [
        reverse("challenges:submission_detail", args=[s.pk]),
        reverse("challenges:submission_edit", args=[s.pk]),
        reverse("challenges:submission_withdraw", args=[s.pk]),
        reverse("challenges:file_download", args=[s.pk, f.pk]),
    ]


def mentor_urls(w):
    a, f = w["assignment"], w["file"]
    return [
        reverse("challenges:review", args=[a.pk]),
        reverse("challenges:review_conflict", args=[a.pk]),
        reverse("challenges:review_file", args=[a.pk, f.pk]),
    ]


def manager_urls(w):
    s, f = w["submission"], w["file"]
    return [
        reverse("challenges:manage_challenge", args=[s.challenge_id]),
        reverse("challenges:manage_submission", args=[s.pk]),
        reverse("challenges:manage_file", args=[s.pk, f.pk]),
    ]


def test_every_url_sends_anonymous_visitors_to_sign_in(world):
    urls = [
        *entrant_urls(world),
        *mentor_urls(world),
        *manager_urls(world),
        reverse("challenges:my_submissions"),
        reverse("challenges:review_queue"),
        reverse("challenges:manage"),
        reverse("challenges:invitation", args=[world["invitation"].token]),
    ]
    client = client_for(UserFactory())
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_entrant_urls_open_to_members_only(world):
    for url in entrant_urls(world):
        assert client_for(world["member"]).get(url).status_code == 200, url
        for other in ("outsider", "mentor", "manager", "invitee"):
            assert client_for(world[other]).get(url).status_code == 404, (url, other)


def test_mentor_urls_open_to_the_assigned_mentor_only(world):
    for url in mentor_urls(world):
        assert client_for(world["mentor"]).get(url).status_code == 200, url
        assert client_for(world["other_mentor"]).get(url).status_code == 404, url
        assert client_for(world["member"]).get(url).status_code == 403, url
        assert client_for(world["outsider"]).get(url).status_code == 403, url


def test_manager_urls_open_to_the_challenges_managers_only(world):
    for url in manager_urls(world):
        assert client_for(world["manager"]).get(url).status_code == 200, url
        for other in ("other_manager", "mentor", "member", "outsider"):
            assert client_for(world[other]).get(url).status_code == 404, (url, other)


def test_mentor_loses_access_when_the_assignment_ends(world):
    assignment = world["assignment"]
    assignment.status = "removed"
    assignment.save()
    for url in mentor_urls(world):
        assert client_for(world["mentor"]).get(url).status_code == 404, url


def test_file_download_is_an_attachment_with_the_bytes(world):
    for client, url in [
        (client_for(world["member"]), entrant_urls(world)[3]),
        (client_for(world["mentor"]), mentor_urls(world)[2]),
        (client_for(world["manager"]), manager_urls(world)[2]),
    ]:
        response = client.get(url)
        assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
        assert response["Content-Type"] == "application/octet-stream"
        assert b"".join(response.streaming_content) == PDF


def test_lists_show_only_what_is_yours(world):
    submission = world["submission"]
    assert (
        submission.title
        in client_for(world["member"]).get(reverse("challenges:my_submissions")).content.decode()
    )
    assert (
        submission.title
        not in client_for(world["outsider"])
        .get(reverse("challenges:my_submissions"))
        .content.decode()
    )
    queue = client_for(world["mentor"]).get(reverse("challenges:review_queue")).content.decode()
    assert reverse("challenges:review", args=[world["assignment"].pk]) in queue
    other_queue = client_for(world["other_mentor"]).get(reverse("challenges:review_queue"))
    assert reverse("challenges:review", args=[world["assignment"].pk]) not in (
        other_queue.content.decode()
    )
    manage = client_for(world["manager"]).get(reverse("challenges:manage")).content.decode()
    assert submission.challenge.title in manage
    other = client_for(world["other_manager"]).get(reverse("challenges:manage")).content.decode()
    assert submission.challenge.title not in other


def test_invitation_page_is_for_the_invited_address_only(world):
    url = reverse("challenges:invitation", args=[world["invitation"].token])
    assert client_for(world["invitee"]).get(url).status_code == 200
    assert client_for(world["outsider"]).get(url).status_code == 404
    assert client_for(world["outsider"]).post(url, {"answer": "accept"}).status_code == 404
    assert world["submission"].members.count() == 1


def test_posts_by_outsiders_change_nothing(world):
    s, f, a, i = world["submission"], world["file"], world["assignment"], world["invitation"]
    events = SubmissionEvent.objects.count()
    outsider = client_for(world["outsider"])
    posts = [
        (reverse("challenges:submission_edit", args=[s.pk]), {"title": "Hacked"}),
        (reverse("challenges:submission_submit", args=[s.pk]), {"round": 1}),
        (reverse("challenges:submission_withdraw", args=[s.pk]), {}),
        (
            reverse("challenges:file_upload", args=[s.pk]),
            {"upload": SimpleUploadedFile("x.pdf", PDF)},
        ),
        (reverse("challenges:file_delete", args=[s.pk, f.pk]), {}),
        (reverse("challenges:invite", args=[s.pk]), {"email": "x@example.gov.uk"}),
        (reverse("challenges:invitation_cancel", args=[s.pk, i.pk]), {}),
        (reverse("challenges:manage_assign", args=[s.pk]), {"mentor": world["other_mentor"].pk}),
        (reverse("challenges:manage_unassign", args=[s.pk, a.pk]), {}),
        (reverse("challenges:manage_decide", args=[s.pk]), {"decision": "accept", "feedback": "x"}),
        (reverse("challenges:manage_auto_assign", args=[s.challenge_id]), {}),
    ]
    for url, data in posts:
        assert outsider.post(url, data).status_code == 404, url
    for url, data in [
        (reverse("challenges:review", args=[a.pk]), {"comments": "x"}),
        (reverse("challenges:review_conflict", args=[a.pk]), {"reason": "x"}),
    ]:
        assert client_for(world["other_mentor"]).post(url, data).status_code == 404, url
    assert SubmissionEvent.objects.count() == events
    s.refresh_from_db()
    assert (s.title, s.status) != ("Hacked", SubmissionStatus.WITHDRAWN)
    assert SubmissionFile.objects.count() == 1
    assert Invitation.objects.filter(status="pending").count() == 1
    assert MentorAssignment.objects.filter(status="active").count() == 1


def test_challenge_pages_render_for_everyone(challenge, learner):
    index = client_for(learner).get("/challenges/")
    page = client_for(learner).get(challenge.url)
    anonymous = client_for(learner)
    anonymous.logout()

    assert index.status_code == 200 and challenge.title in index.content.decode()
    assert page.status_code == 200
    assert reverse("challenges:submission_start", args=[challenge.pk]) in page.content.decode()
    assert "Criterion 1" in page.content.decode()
    assert "Sign in" in anonymous.get(challenge.url).content.decode()


def test_journey_submit_review_decide_and_read_feedback(challenge, boss, learner, mentors):
    entrant = client_for(learner)
    response = entrant.post(
        reverse("challenges:submission_start", args=[challenge.pk]),
        {"title": "Shorter form", "summary": "Cut ten questions."},
    )
    submission = Submission.objects.get(title="Shorter form")
    assert response["Location"] == reverse("challenges:submission_detail", args=[submission.pk])
    upload = entrant.post(
        reverse("challenges:file_upload", args=[submission.pk]),
        {"upload": SimpleUploadedFile("evidence.pdf", PDF)},
    )
    assert upload.status_code == 302
    submit_url = reverse("challenges:submission_submit", args=[submission.pk])
    first = entrant.post(submit_url, {"round": 1})
    second = entrant.post(submit_url, {"round": 1})  # a double click
    assert first.status_code == second.status_code == 302
    assert submission.events.filter(action="submit").count() == 1

    boss_client = client_for(boss)
    boss_client.post(reverse("challenges:manage_auto_assign", args=[challenge.pk]))
    assignments = list(submission.assignments.all())
    assert len(assignments) == challenge.mentors_per_submission
    for number, assignment in enumerate(assignments):
        data = {f"criterion-{c.pk}": 3 for c in challenge.rubric_criteria.all()}
        data.update(comments=f"Comments by reviewer {number}", recommendation="accept")
        response = client_for(assignment.mentor).post(
            reverse("challenges:review", args=[assignment.pk]), data
        )
        assert response.status_code == 302
    assert Review.objects.filter(assignment__submission=submission).count() == 2

    page = boss_client.get(reverse("challenges:manage_submission", args=[submission.pk]))
    assert "Comments by" in page.content.decode()
    decide = boss_client.post(
        reverse("challenges:manage_decide", args=[submission.pk]),
        {"decision": "accept", "feedback": "A clear improvement."},
    )
    assert decide.status_code == 302

    detail = entrant.get(reverse("challenges:submission_detail", args=[submission.pk]))
    text = detail.content.decode()
    assert "A clear improvement." in text
    assert "Mentor 1" in text and "Comments by" in text
    assert assignments[0].mentor.email not in text  # mentors are not named to entrants


def test_submit_late_shows_the_refusal_on_the_page(learner):
    from datetime import timedelta

    from django.utils import timezone

    challenge = create_challenge()
    submission = SubmissionFactory(challenge=challenge, created_by=learner)
    challenge.closes_at = timezone.now() - timedelta(hours=1)
    challenge.save()

    response = client_for(learner).post(
        reverse("challenges:submission_submit", args=[submission.pk]), {"round": 1}
    )

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "Submissions are now closed" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT


def test_upload_of_a_disguised_file_shows_the_error_beside_the_field(challenge, learner):
    submission = SubmissionFactory(challenge=challenge, created_by=learner)

    response = client_for(learner).post(
        reverse("challenges:file_upload", args=[submission.pk]),
        {"upload": SimpleUploadedFile("plan.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 40)},
    )

    text = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_upload"' in text
    assert 'id="id_upload-error"' in text
    assert not SubmissionFile.objects.exists()


def test_review_form_hides_names_under_blind_review(boss, learner):
    challenge = create_challenge(managers=[boss], blind_review=True)
    reviewer = mentor()
    submission = SubmissionFactory(
        challenge=challenge, created_by=learner, status=SubmissionStatus.IN_REVIEW
    )
    assignment = assign(submission, reviewer)

    text = client_for(reviewer).get(reverse("challenges:review", args=[assignment.pk])).content
    queue = client_for(reviewer).get(reverse("challenges:review_queue")).content

    assert learner.last_name.encode() not in text
    assert submission.title.encode() not in text
    assert submission.title.encode() not in queue
    assert b"blind review" in text


def test_mentor_declares_a_conflict_through_the_page_and_is_replaced(world):
    url = reverse("challenges:review_conflict", args=[world["assignment"].pk])
    client = client_for(world["mentor"])

    empty = client.post(url, {"reason": ""})
    done = client.post(url, {"reason": "I line-manage the entrant."})

    assert empty.status_code == 200 and "There is a problem" in empty.content.decode()
    assert done["Location"] == reverse("challenges:review_queue")
    active = MentorAssignment.objects.filter(submission=world["submission"], status="active")
    assert active.count() == world["submission"].challenge.mentors_per_submission
    assert world["mentor"] not in [assignment.mentor for assignment in active]


def test_manager_assigns_by_hand_and_conflicted_mentors_are_not_offered(world):
    submission = world["submission"]
    submission.members.create(user=world["other_mentor"])
    client = client_for(world["manager"])
    page = client.get(reverse("challenges:manage_submission", args=[submission.pk])).content
    assert world["other_mentor"].email.encode() not in page.split(b'id="id_mentor"')[1]

    refused = client.post(
        reverse("challenges:manage_assign", args=[submission.pk]),
        {"mentor": world["other_mentor"].pk},
    )
    assert refused.status_code == 400
    assert not submission.assignments.filter(mentor=world["other_mentor"]).exists()

    fresh = mentor()
    accepted = client.post(
        reverse("challenges:manage_assign", args=[submission.pk]), {"mentor": fresh.pk}
    )
    assert accepted.status_code == 302
    assert submission.assignments.get(mentor=fresh).assigned_by == world["manager"]


def test_member_withdraws_through_the_confirmation_page(world):
    client = client_for(world["member"])
    url = reverse("challenges:submission_withdraw", args=[world["submission"].pk])

    assert "Are you sure" in client.get(url).content.decode()
    client.post(url)

    world["submission"].refresh_from_db()
    assert world["submission"].status == SubmissionStatus.WITHDRAWN
    queue = client_for(world["mentor"]).get(reverse("challenges:review_queue")).content.decode()
    assert reverse("challenges:review", args=[world["assignment"].pk]) not in queue
