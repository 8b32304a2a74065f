"""Property tests: everything the coverage pages and exports publish is one consistent set.

Over random departments, targets, filters and months: every pair of figures published for the
same population agrees (a figure is never below a part of it, the same cell reads the same on
every page, chart, export and in the comparison, a status appears only beside its figure),
and no hidden figure can be solved for from all that is published.
"""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from learners.models import Role
from reporting.coverage import (
    ALL,
    HEADCOUNT,
    LEVELS,
    CoverageInput,
    protect_coverage,
    published_lines,
)
from reporting.disclosure import SUPPRESSED, DisclosureRule, round_to_base, share
from reporting.models import CoverageCount, CoverageSnapshot, Series, SkillTarget
from tests.factories.courses import SkillFactory
from tests.factories.learners import (
    GradeFactory,
    OrganisationFactory,
    ProfessionFactory,
    ProfileFactory,
    UserFactory,
    sign_in_with_second_factor,
    totp_enable,
)
from tests.reporting.test_disclosure import recoverable_cells

# --- The cube alone: many random departments --------------------------------------------------

SKILLS = (1, 2, 3)


@st.composite
def departments(draw):
    """True counts of a department: people per (grade, profession), and for each skill how
    many of them are at each level (the rest not evidenced); maybe an uploaded headcount."""
    cells = draw(
        st.dictionaries(
            st.tuples(st.integers(0, 3), st.integers(0, 2)), st.integers(0, 40), max_size=8
        )
    )
    counts = {}
    for (g, p), people in cells.items():
        for skill in SKILLS:
            left = people
            for level in LEVELS:
                n = draw(st.integers(0, left))
                left -= n
                if n:
                    counts[(g, p, skill, level)] = n
    uploaded = {}
    if draw(st.booleans()):
        grades = sorted({g for g, _p in cells if g})
        covered = draw(st.lists(st.sampled_from(grades), unique=True)) if grades else []
        uploaded = {g: draw(st.integers(0, 80)) for g in covered}
    rule = draw(st.sampled_from([DisclosureRule(), DisclosureRule(threshold=5, rounding_base=3)]))
    return CoverageInput(counts, cells, uploaded), rule


def _true_cumulative(data: CoverageInput):
    result = {}
    for (g, p, skill, level), n in data.counts.items():
        for slice_key in (ALL, ("grade", g), ("profession", p)):
            for lower in LEVELS:
                if lower <= level:
                    key = (slice_key, skill, lower)
                    result[key] = result.get(key, 0) + n
    return result


@settings(max_examples=150, deadline=None)
@given(departments())
def test_the_published_cube_is_consistent_and_leaks_no_hidden_figure(department):
    data, rule = department
    cube = protect_coverage(data, skills=SKILLS, rule=rule)
    true = _true_cumulative(data)

    for slice_key in cube.slices:
        head = cube.headcount(slice_key)
        for skill in SKILLS:
            row = [cube.at_or_above(slice_key, skill, level) for level in LEVELS]
            shown = [value for value in row if value != SUPPRESSED]
            # A row reads as figures up to some level, then [c]; never rising.
            assert row[: len(shown)] == shown
            assert shown == sorted(shown, reverse=True)
            for level, value in zip(LEVELS, row, strict=True):
                count = true.get((slice_key, skill, level), 0)
                if value != SUPPRESSED:
                    assert count >= rule.threshold
                    assert value == round_to_base(count, rule.rounding_base)
                    whole = cube.at_or_above(ALL, skill, level)
                    assert whole == SUPPRESSED or whole >= value  # a part never above it
            if head != SUPPRESSED and shown:
                assert head >= shown[0]
                assert 0 <= share(shown[0], head) <= 1
    # The lines the audit uses are true equations of the published set...
    lines = published_lines(cube)
    values = {key: true.get(key, 0) for key in cube.values if key[-1] != HEADCOUNT}
    for line in lines:
        if line.total[-1] != HEADCOUNT:
            assert sum(values[m] for m in line.members) == values[line.total]
    # ...and, knowing every published figure exactly, no hidden one can be solved for.
    hidden = {key for key, value in cube.values.items() if value == SUPPRESSED}
    assert recoverable_cells(cube.values, lines, hidden) == set()


# --- Pages, exports and the comparison, through HTTP --------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst():
    user = UserFactory(roles=[Role.ANALYST.value])
    totp_enable(user)
    return user


@st.composite
def scenarios(draw):
    return {
        "cells": draw(
            st.dictionaries(
                st.tuples(st.integers(0, 1), st.integers(0, 1)), st.integers(0, 30), min_size=1
            )
        ),
        "spread": draw(st.lists(st.integers(0, 4), min_size=64, max_size=64)),
        "months": draw(st.integers(0, 2)),
        "targets": draw(
            st.dictionaries(
                st.integers(0, 2),
                st.tuples(st.sampled_from(LEVELS), st.integers(1, 100)),
                max_size=3,
            )
        ),
        "filter": draw(st.sampled_from(["all", "grade", "profession"])),
        "month": draw(st.integers(0, 2)),
        "compare_level": draw(st.sampled_from(LEVELS)),
    }


def _build(scenario):
    """A department from the scenario: profiles, counts, monthly snapshots and targets."""
    department = OrganisationFactory()
    grades = [GradeFactory(), GradeFactory()]
    professions = [ProfessionFactory(), ProfessionFactory()]
    skills = [SkillFactory() for _ in range(3)]
    spread = iter(scenario["spread"] * 8)

    periods = [date(2026, month, 1) for month in range(11 - scenario["months"], 11)]

    def counts_for(scale):
        """More people evidenced month by month, everyone by the latest figures."""
        rows = []
        for (g, p), people in scenario["cells"].items():
            people = people * scale // (len(periods) + 1)
            for skill in skills:
                left = people
                for level in LEVELS:
                    n = min(left, next(spread) * people // 8)
                    left -= n
                    if n:
                        rows.append([grades[g].pk, professions[p].pk, skill.pk, level, n])
        return rows

    for (g, p), people in scenario["cells"].items():
        for _ in range(people):
            ProfileFactory(organisation=department, grade=grades[g], profession=professions[p])
    headcount = [
        [grades[g].pk, professions[p].pk, people] for (g, p), people in scenario["cells"].items()
    ]
    for scale, period in enumerate(periods, start=1):
        CoverageSnapshot.objects.create(
            organisation=department,
            period=period,
            series=Series.EVIDENCED,
            counts=counts_for(scale),
            headcount=headcount,
        )
    CoverageCount.objects.bulk_create(
        CoverageCount(
            organisation=department,
            grade_key=g,
            profession_key=p,
            skill_id=s,
            series=Series.EVIDENCED,
            level=level,
            count=n,
        )
        for g, p, s, level, n in counts_for(len(periods) + 1)
    )
    for index, (level, percent) in scenario["targets"].items():
        SkillTarget.objects.create(
            organisation=department, skill=skills[index], level=level, target_percent=percent
        )
    return department, grades, professions, skills, periods


def _csv_rows(response):
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = lines.index(next(line for line in lines if line and line[0] == "Skill"))
    return {line[0]: line for line in lines[header + 1 : -1]}


def _text(value):
    if value in (SUPPRESSED, ""):
        return value
    result = round(value * 100, 1) if isinstance(value, float) else value
    return str(int(result) if isinstance(result, float) and result.is_integer() else result)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    # Each example makes a department and some 30 requests: shrinking a failure would take
    # longer than reading the unshrunk example.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(scenario=scenarios())
def test_pages_exports_and_comparison_publish_one_consistent_set(client, analyst, scenario):
    department, grades, professions, skills, periods = _build(scenario)
    if client.session.get("_auth_user_id") != str(analyst.pk):  # once: codes are single-use
        sign_in_with_second_factor(client, analyst)
    params = {}
    if scenario["filter"] == "grade":
        params["grade"] = grades[0].code
    elif scenario["filter"] == "profession":
        params["profession"] = professions[0].code
    period = ([*periods, None])[min(scenario["month"], len(periods))]
    if period:
        params["period"] = period.strftime("%Y-%m")

    framework = client.get(reverse("reporting:framework", args=[department.code]), params)
    whole = client.get(
        reverse("reporting:framework", args=[department.code]),
        {"period": params["period"]} if period else {},
    )
    dashboard = client.get(reverse("reporting:dashboard", args=[department.code]), params)
    exported = _csv_rows(
        client.get(reverse("reporting:export_csv", args=[department.code]), params)
    )
    assert framework.status_code == dashboard.status_code == whole.status_code == 200

    rows = {row.skill.pk: row for row in framework.context["rows"]}
    whole_rows = {row.skill.pk: row for row in whole.context["rows"]}
    for skill in skills:
        row = rows[skill.pk]
        figures = [count for count, _share in row.levels]
        shown = [value for value in figures if value != SUPPRESSED]
        assert shown == sorted(shown, reverse=True)  # "or above" never below a higher level
        if shown and row.headcount != SUPPRESSED:
            assert row.headcount >= shown[0]
        for level, value in zip(LEVELS, figures, strict=True):  # a slice never above the whole
            total = whole_rows[skill.pk].levels[level - 1][0]
            if SUPPRESSED not in (value, total):
                assert value <= total
        # The export is the page, cell for cell.
        line = exported[skill.name]
        assert line[1] == _text(row.headcount)
        assert line[2:10] == [_text(v) for count, s in row.levels for v in (count, s)]
        if row.target:
            assert line[12:14] == [_text(row.achieved), _text(row.achieved_share)]

    # "Where are we short?": each status is read from the figure beside it, which the full
    # table shows in the target's column.
    for row in dashboard.context["shortfall"]:
        assert row.achieved == rows[row.skill.pk].levels[row.target.level - 1][0]
        assert row.achieved_share == share(row.achieved, row.headcount)
        assert (row.rag == "unknown") == (row.achieved_share == SUPPRESSED)

    # The trend: each month's point is that month's published cell, at the target's level.
    skill = skills[0]
    trend = client.get(
        reverse("reporting:dashboard", args=[department.code]), {"skill": skill.code}
    ).context
    target = SkillTarget.objects.filter(organisation=department, skill=skill).first()
    assert trend["trend_level"] == (target.level if target else 2)
    for point in trend["trend"]:
        month = client.get(
            reverse("reporting:framework", args=[department.code]),
            {"period": point.period.strftime("%Y-%m")} if point.period else {},
        )
        month_row = next(r for r in month.context["rows"] if r.skill == skill)
        assert point.levels == [count for count, _share in month_row.levels]
        assert point.headcount == month_row.headcount

    # The comparison, and its exports, show the department's own latest cell.
    latest = client.get(reverse("reporting:framework", args=[department.code]))
    level = scenario["compare_level"]
    for skill in skills:
        query = {"skill": skill.code, "level": level}
        compared = client.get(reverse("reporting:compare"), query)
        mine = next(r for r in compared.context["rows"] if r.department == department)
        page_row = next(r for r in latest.context["rows"] if r.skill == skill)
        assert (mine.headcount, mine.at_or_above) == (
            page_row.headcount,
            page_row.levels[level - 1][0],
        )
        compared_csv = client.get(reverse("reporting:compare_csv"), query)
        lines = list(csv.reader(io.StringIO(compared_csv.content.decode("utf-8-sig"))))
        line = next(line for line in lines if line and line[0] == department.name)
        assert line[1:3] == [_text(mine.headcount), _text(mine.at_or_above)]

    # Nothing hidden anywhere in the cubes behind all of this can be solved for. No equation
    # joins two skills, so each skill (and the headcounts) is audited on its own.
    for response in (framework, whole, latest):
        cube = response.context["cube"]
        lines = published_lines(cube)
        for part in [HEADCOUNT, *(skill.pk for skill in skills)]:
            own = [line for line in lines if line.total[1] == part]
            keys = {key for line in own for key in (*line.members, line.total)}
            hidden = {key for key in keys if cube.values[key] == SUPPRESSED}
            assert recoverable_cells(cube.values, own, hidden) == set()
