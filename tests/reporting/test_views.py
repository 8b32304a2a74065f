import csv
import io

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from openpyxl import load_workbook

from courses.models import SkillLevel
from learners.models import Grade, Role
from reporting.models import HeadcountRecord, ReportAccessLog, SkillTarget
from reporting.services import coverage_update
from tests.factories.learners import (
    GradeFactory,
    OrganisationFactory,
    ProfileFactory,
    UserFactory,
    hr_lead,
    sign_in_with_second_factor,
    totp_enable,
)
from tests.factories.reporting import complete, course_building

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return OrganisationFactory(code="D99", name="Department for Testing Coverage")


@pytest.fixture
def other_department():
    return OrganisationFactory(code="D98", name="Department of Elsewhere")


@pytest.fixture
def lead(department):
    user = hr_lead(organisations=[department])
    totp_enable(user)
    return user


@pytest.fixture
def analyst():
    user = UserFactory(roles=[Role.ANALYST.value])
    totp_enable(user)
    return user


@pytest.fixture
def evidenced(department):
    """25 people in the department: 13 evidenced at practitioner in a skill, 12 at expert."""
    grade = GradeFactory(code="HEO", name="Higher Executive Officer")
    course, skill = course_building(level=SkillLevel.PRACTITIONER)
    expert_course, _ = course_building(skill=skill, level=SkillLevel.EXPERT)
    learners = [ProfileFactory(organisation=department, grade=grade).user for _ in range(25)]
    complete(learners[:13], course)
    complete(learners[13:], expert_course)
    coverage_update()
    return skill


def _signed_in(client, user):
    """Signed in as a person does: with their second factor when they have an authenticator."""
    if Authenticator.objects.filter(user=user).exists():
        return sign_in_with_second_factor(client, user)
    client.force_login(user)
    return client


def _routes(code):
    return [
        ("get", reverse("reporting:dashboard", args=[code])),
        ("get", reverse("reporting:export_csv", args=[code])),
        ("get", reverse("reporting:export_xlsx", args=[code])),
        ("get", reverse("reporting:targets", args=[code])),
        ("post", reverse("reporting:targets", args=[code])),
        ("post", reverse("reporting:target_remove", args=[code, "some-skill"])),
        ("get", reverse("reporting:headcount", args=[code])),
        ("post", reverse("reporting:headcount", args=[code])),
    ]


def test_every_route_refuses_an_hr_lead_of_another_department(client, lead, other_department):
    _signed_in(client, lead)

    for method, url in _routes(other_department.code):
        response = getattr(client, method)(url)
        assert response.status_code == 403, url

    assert not SkillTarget.objects.exists()
    assert not HeadcountRecord.objects.exists()


def test_every_route_refuses_a_learner(client, department):
    learner = ProfileFactory(organisation=department).user
    _signed_in(client, learner)

    for method, url in [
        *_routes(department.code),
        ("get", reverse("reporting:index")),
        ("get", reverse("reporting:compare")),
    ]:
        assert getattr(client, method)(url).status_code == 403, url


def test_every_route_sends_anonymous_people_to_sign_in(client, department):
    for _method, url in _routes(department.code):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_analyst_may_read_every_department_but_not_change_settings(client, analyst, department):
    _signed_in(client, analyst)

    assert client.get(reverse("reporting:dashboard", args=[department.code])).status_code == 200
    assert client.get(reverse("reporting:targets", args=[department.code])).status_code == 403
    assert client.get(reverse("reporting:headcount", args=[department.code])).status_code == 403


def test_hr_lead_without_mfa_is_sent_to_set_it_up(client, department):
    user = hr_lead(organisations=[department])
    _signed_in(client, user)

    response = client.get(reverse("reporting:dashboard", args=[department.code]))

    assert response.status_code == 302
    assert reverse("learners:mfa_required") in response["Location"]


def test_index_takes_an_hr_lead_with_one_department_straight_to_it(client, lead, department):
    response = _signed_in(client, lead).get(reverse("reporting:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:dashboard", args=[department.code])


def test_framework_page_shows_protected_cumulative_figures(client, lead, department, evidenced):
    response = _signed_in(client, lead).get(reverse("reporting:framework", args=[department.code]))

    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.skill == evidenced)
    # 25 people: 13 at practitioner, 12 at expert; each figure counts that level or above.
    assert [count for count, _share in row.levels] == [25, 25, 25, 10]
    assert row.levels[SkillLevel.EXPERT - 1][1] == 10 / 25  # from the rounded figures
    assert row.headcount == 25
    assert b"[c]" in response.content  # the other skills: nobody
    assert b"may not add up" in response.content
    log = ReportAccessLog.objects.get()
    assert (log.user, log.organisation, log.action) == (lead, department, "view-framework")


def test_framework_grade_filter_reads_the_same_protected_cube(client, lead, department, evidenced):
    response = _signed_in(client, lead).get(
        reverse("reporting:framework", args=[department.code]), {"grade": "HEO"}
    )

    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.skill == evidenced)
    assert row.levels[SkillLevel.PRACTITIONER - 1][0] == 25


@pytest.mark.parametrize(
    "params, message",
    [
        ({"grade": "HEO", "profession": "x"}, b"Select a valid choice"),
        ({"period": "1999-01"}, b"Choose a month that has figures"),
        ({"series": "made-up"}, b"Select a valid choice"),
        ({"grade": "NOPE"}, b"Select a valid choice"),
    ],
)
def test_dashboard_bad_parameters_get_an_error_summary(client, lead, department, params, message):
    response = _signed_in(client, lead).get(
        reverse("reporting:dashboard", args=[department.code]), params
    )

    assert response.status_code == 400
    assert b"There is a problem" in response.content
    assert message in response.content


def test_dashboard_refuses_a_grade_and_a_profession_together(client, lead, department, evidenced):
    from tests.factories.learners import ProfessionFactory

    profession = ProfessionFactory(code="digital", name="Digital")
    response = _signed_in(client, lead).get(
        reverse("reporting:dashboard", args=[department.code]),
        {"grade": "HEO", "profession": profession.code},
    )

    assert response.status_code == 400
    assert b"Choose a grade or a profession, not both" in response.content


def test_exports_carry_exactly_the_screen_figures(client, lead, department, evidenced):
    _signed_in(client, lead)
    screen = client.get(reverse("reporting:framework", args=[department.code]))
    row = next(r for r in screen.context["rows"] if r.skill == evidenced)

    csv_response = client.get(reverse("reporting:export_csv", args=[department.code]))
    xlsx_response = client.get(reverse("reporting:export_xlsx", args=[department.code]))

    assert csv_response.status_code == 200
    assert csv_response["Content-Disposition"] == (
        'attachment; filename="skills-coverage-d99-evidenced-all-latest.csv"'
    )
    lines = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    csv_row = next(line for line in lines if line and line[0] == evidenced.name)
    assert csv_row[1] == str(row.headcount)
    assert csv_row[2:10] == [
        str(value) for count, share in row.levels for value in (count, _percent(share))
    ]
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    xlsx_row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == evidenced.name)
    assert [str(v) for v in xlsx_row[:10]] == csv_row[:10]
    actions = set(ReportAccessLog.objects.values_list("action", flat=True))
    assert actions == {"view-framework", "export-csv", "export-xlsx"}


def _percent(share):
    if share == "[c]":
        return share
    percent = round(share * 100, 1)
    return int(percent) if percent.is_integer() else percent


def test_export_with_bad_parameters_exports_nothing(client, lead, department):
    response = _signed_in(client, lead).get(
        reverse("reporting:export_csv", args=[department.code]), {"period": "2001-13"}
    )

    assert response.status_code == 400
    assert "attachment" not in response.get("Content-Disposition", "")


def test_hr_lead_sets_and_removes_a_target(client, lead, department, evidenced):
    _signed_in(client, lead)
    url = reverse("reporting:targets", args=[department.code])

    response = client.post(url, {"skill": evidenced.code, "level": 3, "target_percent": 40})
    assert response.status_code == 302
    target = SkillTarget.objects.get(organisation=department, skill=evidenced)
    assert (target.level, target.target_percent, target.set_by) == (3, 40, lead)

    dashboard = client.get(reverse("reporting:dashboard", args=[department.code]))
    row = next(r for r in dashboard.context["shortfall"] if r.skill == evidenced)
    assert row.achieved == 25  # the "practitioner or above" cell the row shows
    assert row.achieved == row.levels[SkillLevel.PRACTITIONER - 1][0]
    assert row.rag == "green"

    client.post(reverse("reporting:target_remove", args=[department.code, evidenced.code]))
    assert not SkillTarget.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"skill": "", "level": 3, "target_percent": 40}, b"Choose a skill"),
        ({"skill": "nope", "level": 3, "target_percent": 40}, b"Choose a skill"),
        ({"level": 3, "target_percent": 140}, b"between 1% and 100%"),
        ({"level": 3, "target_percent": "lots"}, b"Enter the target as a whole number"),
        ({"level": 9, "target_percent": 40}, b"Select a valid choice"),
    ],
)
def test_target_form_errors_save_nothing(client, lead, department, evidenced, data, message):
    data = {"skill": evidenced.code, **data}
    response = _signed_in(client, lead).post(
        reverse("reporting:targets", args=[department.code]), data
    )

    assert response.status_code == 400
    assert message in response.content
    assert not SkillTarget.objects.exists()


def _upload(client, department, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("reporting:headcount", args=[department.code]),
        {"file": SimpleUploadedFile("headcount.csv", text.encode(), content_type="text/csv")},
    )


def test_headcount_upload_replaces_platform_headcount(client, lead, department, evidenced):
    _signed_in(client, lead)
    GradeFactory(code="SEO", name="Senior Executive Officer")

    response = _upload(client, department, "department,grade,headcount\nD99,HEO,40\nD99,SEO,60\n")

    assert response.status_code == 302
    assert dict(HeadcountRecord.objects.values_list("grade__code", "headcount")) == {
        "HEO": 40,
        "SEO": 60,
    }
    dashboard = client.get(reverse("reporting:framework", args=[department.code]))
    row = next(r for r in dashboard.context["rows"] if r.skill == evidenced)
    assert row.headcount == 100
    assert dashboard.context["cube"].headcount_source == "uploaded"


@pytest.mark.parametrize(
    "text, message",
    [
        ("dept,grade,count\nD99,HEO,4\n", "The first row must be the column names"),
        ("department,grade,headcount\nD98,HEO,4\n", "Row 2: department"),
        ("department,grade,headcount\nD99,XYZ,4\n", "is not a civil service grade"),
        ("department,grade,headcount\nD99,HEO,-4\n", "headcount must be a whole number"),
        ("department,grade,headcount\nD99,HEO,4\nD99,HEO,5\n", "appears more than once"),
        ("department,grade,headcount\n", "no rows of headcount"),
    ],
)
def test_headcount_upload_errors_change_nothing(client, lead, department, text, message):
    GradeFactory(code="HEO", name="Higher Executive Officer")
    _signed_in(client, lead)
    HeadcountRecord.objects.create(
        organisation=department, grade=GradeFactory(code="G7", name="Grade 7"), headcount=7
    )

    response = _upload(client, department, text)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(HeadcountRecord.objects.values_list("grade__code", "headcount")) == [("G7", 7)]


def test_compare_shows_each_department_from_its_own_protected_cube(
    client, analyst, department, evidenced
):
    response = _signed_in(client, analyst).get(
        reverse("reporting:compare"), {"skill": evidenced.code, "level": 3}
    )

    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.department == department)
    assert (row.headcount, row.at_or_above) == (25, 25)


def test_a_headcount_upload_missing_a_grade_people_hold_is_refused_naming_it(
    client, lead, department, evidenced
):
    _signed_in(client, lead)
    GradeFactory(code="SEO", name="Senior Executive Officer")

    response = _upload(client, department, "department,grade,headcount\nD99,SEO,60\n")

    assert response.status_code == 400
    assert "The file has no row for HEO (Higher Executive Officer)" in response.content.decode()
    assert not HeadcountRecord.objects.exists()


def test_an_older_partial_upload_is_used_for_its_grades_and_the_page_says_so(
    client, lead, department, evidenced
):
    seo = GradeFactory(code="SEO", name="Senior Executive Officer")
    for _ in range(12):
        ProfileFactory(organisation=department, grade=seo)
    heo = Grade.objects.get(code="HEO")
    HeadcountRecord.objects.create(organisation=department, grade=heo, headcount=40)

    response = _signed_in(client, lead).get(reverse("reporting:dashboard", args=[department.code]))

    assert response.context["headcount"] == 50  # 40 uploaded HEOs + 12 SEOs on the service
    assert response.context["cube"].headcount_source == "mixed"
    text = " ".join(response.content.decode().split())
    assert "uploaded HR headcount, except Senior Executive Officer, which the upload" in text


def test_export_file_names_carry_department_series_filter_and_month(
    client, lead, department, evidenced
):
    _signed_in(client, lead)

    response = client.get(
        reverse("reporting:export_xlsx", args=[department.code]),
        {"grade": "HEO", "series": "self"},
    )

    assert response["Content-Disposition"] == (
        'attachment; filename="skills-coverage-d99-self-grade-heo-latest.xlsx"'
    )


def test_the_comparison_exports_the_figures_it_shows(client, analyst, department, evidenced):
    _signed_in(client, analyst)
    query = {"skill": evidenced.code, "level": 4}
    page = client.get(reverse("reporting:compare"), query)
    row = next(r for r in page.context["rows"] if r.department == department)

    csv_response = client.get(reverse("reporting:compare_csv"), query)
    xlsx_response = client.get(reverse("reporting:compare_xlsx"), query)

    assert csv_response["Content-Disposition"] == (
        f'attachment; filename="skills-comparison-{evidenced.code}-expert-or-above-latest.csv"'
    )
    lines = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    line = next(line for line in lines if line and line[0] == department.name)
    assert line == [department.name, "25", "10", "40"]  # 12 experts, rounded; 10 of 25
    assert (row.headcount, row.at_or_above) == (25, 10)
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert [department.name, 25, 10, 40] in [list(r) for r in sheet.iter_rows(values_only=True)]
    assert "may not add up" in lines[2][0]


def test_the_comparison_exports_refuse_bad_parameters_and_non_analysts(
    client, analyst, lead, evidenced
):
    _signed_in(client, analyst)
    for query in ({}, {"skill": "nope", "level": 2}, {"skill": evidenced.code, "level": 9}):
        response = client.get(reverse("reporting:compare_csv"), query)
        assert response.status_code == 400
        assert "attachment" not in response.get("Content-Disposition", "")
    _signed_in(client, lead)
    response = client.get(reverse("reporting:compare_csv"), {"skill": evidenced.code, "level": 2})
    assert response.status_code == 403
