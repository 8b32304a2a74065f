"""An HR lead signs in with a second factor, reads their department's skills coverage,
filters it, opens a skill's trend, downloads the CSV and sets a target; every page audited by
axe-core.
"""

import csv
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import SkillLevel
from reporting.services import coverage_snapshot_build, coverage_update
from tests.factories.learners import (
    DEFAULT_PASSWORD,
    GradeFactory,
    OrganisationFactory,
    ProfileFactory,
    hr_lead,
    totp_code,
    totp_enable,
)
from tests.factories.reporting import complete, course_building

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL_LABEL = re.compile(r"^Email( address)?$", re.IGNORECASE)
PASSWORD_LABEL = re.compile(r"^Password$", re.IGNORECASE)
SIGN_IN = re.compile(r"^Sign in$", re.IGNORECASE)


@pytest.fixture
def coverage(home_page):
    """A department of 50: 30 HEOs evidenced at practitioner in one skill (half of them by
    last month), 20 SEOs at working in another; its HR lead has an authenticator.
    """
    department = OrganisationFactory(code="D77", name="Department for Browser Tests")
    heo = GradeFactory(code="HEO", name="Higher Executive Officer", rank=4)
    seo = GradeFactory(code="SEO", name="Senior Executive Officer", rank=5)
    design_course, design = course_building(
        level=SkillLevel.PRACTITIONER, title="Service design basics"
    )
    data_course, data = course_building(level=SkillLevel.WORKING, title="Data for everyone")
    heos = [ProfileFactory(organisation=department, grade=heo).user for _ in range(30)]
    seos = [ProfileFactory(organisation=department, grade=seo).user for _ in range(20)]
    complete(heos[:15], design_course)
    coverage_update()
    coverage_snapshot_build(period=timezone.localdate().replace(day=1) - timedelta(days=1))
    complete(heos[15:], design_course)
    complete(seos, data_course)
    coverage_update()
    lead = hr_lead(organisations=[department], email="hr.lead@example.gov.uk")
    secret = totp_enable(lead)
    return {"department": department, "lead": lead, "secret": secret, "skills": (design, data)}


def table_rows(page) -> list[list[str]]:
    """The coverage table as skill name and the count of each level (shares left out)."""
    rows = []
    for row in (
        page.locator("table", has=page.locator("caption", has_text="Each cell"))
        .locator("tbody tr")
        .all()
    ):
        skill = row.locator("th").inner_text().strip()
        cells = row.locator("td").all()[: len(SkillLevel)]
        rows.append([skill, *(cell.inner_text().strip().splitlines()[0] for cell in cells)])
    return rows


def test_hr_lead_views_filters_exports_and_sets_a_target_passing_axe(
    live_server, page, axe, coverage
):
    base = live_server.url
    design, data = coverage["skills"]

    # Sign in with password and authenticator code; arrive at the department's coverage.
    page.goto(base + "/reporting/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    axe(page)
    page.get_by_label(EMAIL_LABEL).fill("hr.lead@example.gov.uk")
    page.get_by_label(PASSWORD_LABEL).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name=SIGN_IN).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your authenticator code")
    axe(page)
    page.locator("input[name=code]").fill(totp_code(coverage["secret"]))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/reporting/D77/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Department for Browser Tests: where are we short?"
    )
    expect(page.locator("#targets + p")).to_contain_text("No targets set yet")
    axe(page)

    # Every skill of the framework is one click away; each figure counts a level or above.
    page.get_by_role("link", name="See every skill of the framework, by role family").click()
    expect(page).to_have_url(re.compile(r"/reporting/D77/skills/$"))
    page.locator("summary", has_text="Skills no role requires").click()
    axe(page)
    rows = dict((row[0], row[1:]) for row in table_rows(page))
    assert rows[design.name] == ["30", "30", "30", "[c]"]
    assert rows[data.name] == ["20", "20", "[c]", "[c]"]

    # Only the HEOs.
    page.get_by_label("Grade").select_option(label="Higher Executive Officer")
    page.get_by_role("button", name="Apply filters").click()
    page.locator("summary", has_text="Skills no role requires").click()
    expect(page.locator("caption", has_text="Each cell")).to_contain_text(
        "grade Higher Executive Officer"
    )
    axe(page)
    expect(page.get_by_label("Grade")).to_have_value("HEO")

    # The CSV holds exactly the rows on screen (same filter, same suppression), named for them.
    shown = table_rows(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download every skill's figures (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "skills-coverage-d77-evidenced-grade-heo-latest.csv"
    with open(download.path(), encoding="utf-8-sig", newline="") as file:
        lines = list(csv.reader(file))
    assert "grade Higher Executive Officer" in lines[0][0]
    assert "may not add up" in lines[2][0]
    header, body = lines[3], lines[4:-1]
    assert header[0] == "Skill"
    levels = [header.index(f"{level.label} or above") for level in list(SkillLevel)[:-1]]
    levels.append(header.index(SkillLevel.EXPERT.label))
    assert sorted([line[0], *(line[i] for i in levels)] for line in body) == sorted(shown)

    # Back to where the department is short: the trend of a skill, month by month.
    page.get_by_role("link", name="Back to where the department is short").click()
    page.get_by_label("Trend for skill").select_option(label=design.name)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name=f"Trend: {design.name}")).to_be_visible()
    trend = page.locator("table", has=page.locator("caption", has_text="month by month"))
    expect(trend.locator("tbody tr")).to_have_count(2)
    expect(trend.locator("tbody tr").last).to_contain_text("30")
    axe(page)

    # Set a target: first a mistake, then a good one; the dashboard shows it.
    page.get_by_role("link", name="Set skill targets").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skill targets")
    axe(page)
    page.get_by_role("button", name="Save target").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a skill")
    axe(page)
    page.get_by_label("Skill").select_option(label=design.name)
    page.get_by_label("Level").select_option(label="Working")
    page.get_by_label("Target (% of headcount)").fill("40")
    page.get_by_role("button", name="Save target").click()
    expect(page.get_by_role("row", name=re.compile(design.name))).to_contain_text(
        "40% at Working or above"
    )
    axe(page)
    page.get_by_role("link", name="Skills coverage: Department for Browser Tests").click()
    expect(page.get_by_role("row", name=re.compile(f"^{re.escape(design.name)}"))).to_contain_text(
        "40% at Working or above"
    )
    axe(page)

    # A grade and a profession together are refused with an error summary.
    page.get_by_label("Grade").select_option(label="Higher Executive Officer")
    page.get_by_label("Profession").select_option(index=1)
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a grade or a profession")
    axe(page)

    # The headcount upload page, and a file it cannot use.
    page.get_by_role("link", name="Upload your department's headcount").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your department's headcount")
    axe(page)
    page.get_by_label("Upload a headcount CSV file").set_input_files(
        {"name": "headcount.csv", "mimeType": "text/csv", "buffer": b"grade,people\nHEO,40\n"}
    )
    page.get_by_role("button", name="Upload headcount").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("column names")
    axe(page)
