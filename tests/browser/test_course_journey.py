"""A learner completes a whole course with the keyboard only; every page passes axe-core.

Catalogue -> course -> enrol -> lessons (with a knowledge check) -> assessment (first sent
empty, to see the error summary) -> result -> certificate -> public verification ->
dashboard, skills profile and learning record.
"""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.factories.courses import SkillFactory, course_with_lessons
from tests.factories.learners import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED_NAME = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "";
  if (el.labels && el.labels.length) return el.labels[0].innerText.trim();
  return (el.getAttribute("aria-label") || el.innerText || el.value || "").trim();
}"""


def tab_to(page, pattern: str, *, limit: int = 250) -> str:
    """Press Tab until the focused element's accessible text matches; fail if never."""
    wanted = re.compile(pattern, re.IGNORECASE)
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        name = page.evaluate(FOCUSED_NAME)
        if wanted.search(name):
            return name
        seen.append(name)
    pytest.fail(f"Tab never reached {pattern!r}; focus went through {seen[:40]}")


def activate(page, pattern: str, key: str = "Enter"):
    tab_to(page, pattern)
    page.keyboard.press(key)
    page.wait_for_load_state("load")


def test_learner_completes_a_course_with_the_keyboard_only(live_server, page, axe, home_page):
    course_with_lessons(
        lessons=2, title="Keyboard course", skills=[(SkillFactory(name="Accessibility"), 2)]
    )
    user = UserFactory(first_name="Grace", last_name="Hopper")
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto(live_server.url + "/courses/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a course")
    axe(page)
    activate(page, r"^Keyboard course$")
    expect(page.get_by_role("heading", level=1)).to_have_text("Keyboard course")
    axe(page)

    activate(page, r"^Enrol on this course")
    expect(page.get_by_role("heading", level=1)).to_have_text("Keyboard course lesson 1")
    axe(page)

    # Knowledge check: the first option ("Right") with Space, then the button.
    tab_to(page, r"^Right$")
    page.keyboard.press("Space")
    activate(page, r"^Check your answer$")
    expect(page.get_by_text("Correct.")).to_be_visible()
    axe(page)

    activate(page, r"^Next")
    expect(page.get_by_role("heading", level=1)).to_have_text("Keyboard course lesson 2")
    axe(page)
    activate(page, r"^Next")
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessment")
    axe(page)

    # Sent empty: the GOV.UK error summary names each question.
    activate(page, r"^Submit your answers$")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Select an answer to question 1")
    axe(page)

    # Answer both questions correctly: Tab into each radio group lands on its first option.
    for _ in range(2):
        tab_to(page, r"^Right$")
        page.keyboard.press("Space")
    activate(page, r"^Submit your answers$")
    expect(page.get_by_role("heading", name="You passed")).to_be_visible()
    axe(page)

    activate(page, r"^View your certificate$")
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificate of completion")
    axe(page)
    activate(page, r"/certificates/verify/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Certificate check")
    expect(page.locator(".govuk-summary-list").get_by_text("Grace Hopper")).to_be_visible()
    axe(page)

    for path, heading in [
        ("/dashboard/", "Your dashboard"),
        ("/dashboard/skills/", "Your skills profile"),
        ("/dashboard/record/", "Your learning record"),
    ]:
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        axe(page)
    assert user.certificates.count() == 1
