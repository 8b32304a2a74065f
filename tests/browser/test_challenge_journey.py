"""Entrant, mentor and manager journeys through a challenge, each page audited by axe-core."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from challenges.models import Submission, SubmissionStatus
from school.middleware import user_needs_second_factor
from tests.factories.challenges import create_challenge, manager, mentor
from tests.factories.learners import ProfileFactory, UserFactory, sign_in_with_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n%%EOF\n"


def sign_in(page, live_server, user):
    """Reuse a Django session in the browser: the sign-in pages have their own tests. Mentors
    and managers sign in with their second factor, as privileged areas require.
    """
    client = Client()
    if user_needs_second_factor(user):
        sign_in_with_second_factor(client, user)
    else:
        client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def cast(home_page):
    boss = manager(email="boss@example.gov.uk")
    reviewer = mentor(email="reviewer@example.gov.uk", first_name="Riley", last_name="Mentor")
    learner = UserFactory(email="entrant@example.gov.uk", roles=[])
    ProfileFactory(user=learner)
    challenge = create_challenge(managers=[boss], mentors_per_submission=1)
    return {"boss": boss, "mentor": reviewer, "learner": learner, "challenge": challenge}


def test_challenge_submit_review_decide_feedback_passes_axe(live_server, page, axe, cast):
    base = live_server.url
    challenge = cast["challenge"]

    # The entrant finds the challenge and starts a draft, first making a mistake.
    sign_in(page, live_server, cast["learner"])
    page.goto(base + "/challenges/")
    axe(page)
    page.get_by_role("link", name=challenge.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(challenge.title)
    axe(page)
    page.get_by_role("button", name="Enter this challenge").click()
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a title")
    axe(page)
    page.get_by_label("Title").fill("Shorter claim form")
    page.get_by_label("Your solution").fill("Cut ten questions and tested with users.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shorter claim form")
    axe(page)

    # A disguised file is refused; a real PDF is accepted.
    page.get_by_label("Upload a file").set_input_files(
        {"name": "evidence.pdf", "mimeType": "application/pdf", "buffer": b"\x89PNG\r\n\x1a\n"}
    )
    page.get_by_role("button", name="Upload file").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("content is not a PDF")
    axe(page)
    page.get_by_label("Upload a file").set_input_files(
        {"name": "evidence.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Upload file").click()
    expect(page.get_by_role("link", name="evidence.pdf")).to_be_visible()
    page.get_by_role("link", name="Withdraw this submission").click()
    axe(page)
    page.go_back()
    page.get_by_role("button", name="Submit", exact=True).dblclick()
    expect(page.locator("#main-content .govuk-tag").first).to_have_text("Submitted")
    submission = Submission.objects.get(title="Shorter claim form")
    assert submission.events.filter(action="submit").count() == 1
    page.goto(base + "/challenges/submissions/")
    axe(page)

    # The manager assigns a mentor automatically.
    sign_in(page, live_server, cast["boss"])
    page.goto(base + "/challenges/manage/")
    axe(page)
    page.get_by_role("link", name=challenge.title).click()
    axe(page)
    page.get_by_role("button", name="Assign mentors automatically").click()
    expect(page.locator(".govuk-table")).to_contain_text("Riley Mentor")

    # The mentor reviews against the rubric.
    sign_in(page, live_server, cast["mentor"])
    page.goto(base + "/challenges/review/")
    axe(page)
    page.get_by_role("link", name="Shorter claim form").click()
    page.get_by_role("button", name="Send review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a score for Criterion 1")
    axe(page)
    for criterion in challenge.rubric_criteria.all():
        page.get_by_role("group", name=criterion.title).get_by_label("3: Secure").check()
    page.get_by_label("Your comments").fill("Strong evidence from users.")
    page.get_by_label("Accept").check()
    page.get_by_role("button", name="Send review").click()
    expect(page.get_by_role("heading", name="Submissions to review")).to_be_visible()
    page.get_by_role("link", name="Shorter claim form").click()
    page.get_by_role("link", name="I have a conflict of interest with this submission").click()
    axe(page)

    # The manager reads the review and accepts.
    sign_in(page, live_server, cast["boss"])
    page.goto(base + f"/challenges/manage/submissions/{submission.pk}/")
    axe(page)
    page.get_by_label("Accept").check()
    page.get_by_label("Feedback for the entrants").fill("A clear improvement. Well done.")
    page.get_by_role("button", name="Send decision").click()
    expect(page.locator("#main-content .govuk-tag").first).to_have_text("Accepted")
    axe(page)

    # The entrant reads the decision and the mentor's feedback.
    sign_in(page, live_server, cast["learner"])
    page.goto(base + f"/challenges/submissions/{submission.pk}/")
    expect(page.locator("#main-content")).to_contain_text("A clear improvement. Well done.")
    expect(page.locator("#main-content")).to_contain_text("Strong evidence from users.")
    axe(page)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED


def test_challenge_team_invitation_and_edit_pass_axe(live_server, page, axe, cast):
    base = live_server.url
    friend = UserFactory(email="friend@example.gov.uk", first_name="Frankie", last_name="Friend")
    sign_in(page, live_server, cast["learner"])
    page.goto(base + cast["challenge"].url)
    page.get_by_role("button", name="Enter this challenge").click()
    page.get_by_label("Title").fill("Team idea")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your teammate")
    axe(page)
    page.get_by_label("Teammate's email address").fill(friend.email)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#main-content")).to_contain_text(friend.email)
    page.get_by_role("link", name="Edit the title and solution").click()
    axe(page)

    sign_in(page, live_server, friend)
    page.goto(base + "/challenges/submissions/")
    page.get_by_role("link", name="answer the invitation").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose whether to join")
    axe(page)
    page.get_by_label("Yes, join the team").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team idea")
    expect(page.locator("#main-content")).to_contain_text("Frankie Friend")
    axe(page)
