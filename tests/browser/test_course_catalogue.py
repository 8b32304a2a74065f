"""The catalogue's search, filters, errors and pagination, and a lesson read while signed
out, audited with axe-core (WCAG 2.2 AA).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.factories.courses import CoursePageFactory, SkillFactory, catalogue, course_with_lessons

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_catalogue_filters_errors_and_lessons_pass_axe(live_server, page, axe, home_page):
    skill = SkillFactory(name="Accessibility", code="accessibility")
    course = course_with_lessons(lessons=1, title="Accessible services", skills=[(skill, 2)])
    for number in range(11):
        CoursePageFactory(
            parent=catalogue(), title=f"Other course {number:02}", duration_minutes=20
        )

    page.goto(live_server.url + "/courses/")
    expect(page.get_by_text("12 courses")).to_be_visible()
    axe(page)

    page.get_by_label("Accessibility").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state("load")
    expect(page).to_have_url(re.compile(r"skill=accessibility"))
    expect(page.get_by_role("link", name="Accessible services")).to_be_visible()
    axe(page)

    page.goto(live_server.url + "/courses/?page=2")
    expect(page.get_by_role("navigation", name="Pages of results")).to_be_visible()
    axe(page)

    page.goto(live_server.url + "/courses/?skill=nope&page=x")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select skills from the list")
    axe(page)

    page.goto(live_server.url + course.lessons().first().url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessible services lesson 1")
    expect(page.get_by_text("Is the sky blue?")).to_be_visible()
    axe(page)
    page.goto(live_server.url + course.assessment().url)
    axe(page)
