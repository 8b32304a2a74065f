"""Each persona signs in, finds their work from the service navigation and the dashboard, and
visits each place their roles give them; every page is looked at (screenshots at 1280 and 320
px) and audited. The Wagtail admin is looked at but not held to axe: it is Wagtail's markup.
"""

import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from learners.models import Organisation, Role
from tests.browser.test_challenge_journey import sign_in
from tests.factories.challenges import create_challenge, manager, mentor, with_mfa
from tests.factories.courses import SkillFactory, course_with_lessons
from tests.factories.learners import OrganisationFactory, ProfileFactory, UserFactory, hr_lead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _editor():
    user = with_mfa(UserFactory(email="editor@example.gov.uk", roles=[Role.EDITOR.value]))
    user.groups.get().permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


PERSONAS = {
    "learner": (lambda: ProfileFactory().user, []),
    "mentor": (lambda: mentor(email="mentor@example.gov.uk"), ["Review queue"]),
    "challenge-manager": (lambda: manager(email="boss@example.gov.uk"), ["Manage challenges"]),
    "hr-lead": (
        lambda: with_mfa(hr_lead(organisations=[OrganisationFactory(code="D1")])),
        ["Skills coverage"],
    ),
    "editor": (_editor, ["Admin"]),
    "admin": (
        lambda: with_mfa(UserFactory(email="admin@example.gov.uk", is_superuser=True)),
        ["Manage challenges", "Skills coverage", "Admin"],
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reaches_their_work_from_the_navigation(
    live_server, page, axe, look, home_page, persona
):
    make, places = PERSONAS[persona]
    course_with_lessons(lessons=1, title="Data ethics", skills=[(SkillFactory(), 2)])
    OrganisationFactory(status=Organisation.Status.LIVE)
    user = make()
    challenge = create_challenge(title="Make the claim form easier")
    if persona == "challenge-manager":
        challenge.managers = [user]
        challenge.save()
    sign_in(page, live_server, user)

    page.goto(live_server.url + "/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    axe(page, "dashboard")
    navigation = page.get_by_role("navigation", name="Menu")
    links = [text.strip() for text in navigation.get_by_role("link").all_inner_texts()]
    assert links == ["Dashboard", "Courses", "Challenges", *places, "Your profile", "Sign out"]

    for place in places:
        page.goto(live_server.url + "/dashboard/")
        page.get_by_role("navigation", name="Menu").get_by_role("link", name=place).click()
        page.wait_for_load_state("load")
        assert page.url.startswith(live_server.url + "/")
        assert not re.search(r"/accounts/(login|2fa)", page.url), page.url
        if place == "Admin":
            expect(page).to_have_title(re.compile("Dashboard"))
            look(page, "admin")
        else:
            axe(page, re.sub(r"\W+", "-", place.lower()))

    if persona == "admin":
        for place in ("LRS clients", "xAPI forwarding targets"):
            page.goto(live_server.url + "/dashboard/")
            page.get_by_role("main").get_by_role("link", name=place).click()
            page.wait_for_load_state("load")
            look(page, re.sub(r"\W+", "-", place.lower()))
