"""A learner launches the platform's own tiny cmi5 AU (plain JavaScript, sandboxed into an opaque
origin) from the course page; it talks to the LRS with its AU token through CORS requests with
`Origin: null`, completes, returns, and the dashboard shows the course completed.
"""

import re

import pytest
from playwright.sync_api import expect

from courses.cmi5.demo import demo_package_bytes
from courses.services.cmi5 import cmi5_package_import
from learners.learning.cmi5 import vocabulary as v
from learners.lrs.models import Statement
from tests.browser.test_challenge_journey import sign_in
from tests.factories.courses import catalogue
from tests.factories.learners import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_launches_a_cmi5_au_and_completes_the_course(
    live_server, page, home_page, settings
):
    settings.SITE_BASE_URL = live_server.url  # the AU's endpoint, fetch URL and returnURL
    course = cmi5_package_import(data=demo_package_bytes(), parent=catalogue())
    course.save_revision().publish()
    course.refresh_from_db()
    learner = UserFactory()
    sign_in(page, live_server, learner)
    au_requests = []
    page.on(
        "request",
        lambda request: (
            au_requests.append(request)
            if "/xapi/" in request.url or "/cmi5/fetch/" in request.url
            else None
        ),
    )

    page.goto(live_server.url + course.url)
    page.get_by_role("button", name=re.compile("^Start")).click()
    expect(page.get_by_role("heading", name="What cmi5 does")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Ready")
    # Sandboxed: the AU's requests come from an opaque origin, without the learner's session.
    assert page.evaluate("window.origin") == "null"
    origins = {request.all_headers().get("origin") for request in au_requests}
    assert au_requests and origins == {"null"}
    page.get_by_role("button", name="I have read this page").click()

    page.wait_for_url(live_server.url + course.url)
    expect(page.get_by_text("You have completed this course")).to_be_visible()
    verbs = set(Statement.objects.values_list("verb_id", flat=True))
    assert {v.LAUNCHED, v.INITIALIZED, v.COMPLETED, v.TERMINATED, v.SATISFIED} <= verbs

    page.goto(live_server.url + "/dashboard/")
    completed = page.locator("h2", has_text="Completed").locator("xpath=following-sibling::ul[1]")
    expect(completed).to_contain_text(course.title)
