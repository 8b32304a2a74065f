from datetime import date

import pytest
from django.core.management import call_command

from courses.models import SkillLevel
from learners.models import Organisation
from reporting import selectors, tasks
from reporting.models import CoverageSnapshot, Series
from reporting.selectors import cubes
from reporting.services import coverage_snapshot_build, coverage_update
from tests.factories.learners import OrganisationFactory, ProfileFactory
from tests.factories.reporting import complete, course_building

pytestmark = pytest.mark.django_db


def _learners(department, n):
    return [ProfileFactory(organisation=department).user for _ in range(n)]


def test_snapshot_keeps_the_month_and_the_trend_reads_each_months_figures():
    department = OrganisationFactory()
    course, skill = course_building(level=SkillLevel.WORKING)
    learners = _learners(department, 40)
    complete(learners[:30], course)
    coverage_update()
    coverage_snapshot_build(period=date(2026, 9, 14))
    complete(learners[30:33], course)  # three more people in October
    coverage_update()
    coverage_snapshot_build(period=date(2026, 10, 1))
    complete(learners[33:], course)  # seven more since: 40 in all
    coverage_update()

    trend = selectors.skill_trend(department=department, skill=skill, series=Series.EVIDENCED)

    assert [point.period for point in trend] == [date(2026, 9, 1), date(2026, 10, 1), None]
    working = [point.levels[SkillLevel.WORKING - 1] for point in trend]
    # True 30 -> 33 -> 40, rounded: each point is the cell that month's page shows.
    assert working == [30, 35, 40]
    for point in trend:
        cube = selectors.published_cube(department=department, period=point.period)
        assert point.levels[SkillLevel.WORKING - 1] == cube.at_or_above(
            selectors.ALL, skill.pk, SkillLevel.WORKING
        )
    assert CoverageSnapshot.objects.filter(organisation=department).count() == 4


def test_snapshot_for_the_same_month_replaces_it():
    department = OrganisationFactory()
    course, _ = course_building()
    complete(_learners(department, 12), course)
    coverage_update()

    coverage_snapshot_build(period=date(2026, 10, 3))
    coverage_snapshot_build(period=date(2026, 10, 20))

    assert CoverageSnapshot.objects.filter(organisation=department).count() == 2  # two series


def test_counted_organisations_follow_machinery_of_government_changes():
    department = OrganisationFactory(name="Department for Science")
    renamed = OrganisationFactory(name="Old Department", status=Organisation.Status.CLOSED)
    renamed.superseded_by.add(department)
    older = OrganisationFactory(name="Older Department", status=Organisation.Status.CLOSED)
    older.superseded_by.add(renamed)
    split = OrganisationFactory(name="Split Department", status=Organisation.Status.CLOSED)
    split.superseded_by.add(department, OrganisationFactory(name="Other Successor"))
    unit = OrganisationFactory(name="Digital Unit", format="Sub organisation")
    unit.parents.add(department)
    agency = OrganisationFactory(name="An Agency", format="Executive agency")
    agency.parents.add(department)

    ids = selectors.counted_organisation_ids(department)

    assert set(ids) == {department.pk, renamed.pk, older.pk, unit.pk}


def test_people_of_a_superseded_department_count_for_its_successor():
    successor = OrganisationFactory()
    closed = OrganisationFactory(status=Organisation.Status.CLOSED)
    closed.superseded_by.add(successor)
    course, skill = course_building(level=SkillLevel.WORKING)
    complete(_learners(closed, 12), course)
    coverage_update()

    cube = selectors.published_cube(department=successor)

    assert cube.at_or_above(("all", 0), skill.pk, SkillLevel.WORKING) == 10


def test_schedule_coverage_update_enqueues_one_update_for_a_burst(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.coverage_update, "apply_async", lambda **kw: calls.append(kw))
    tasks.cache.delete(tasks._SCHEDULED_KEY)

    for _ in range(5):
        tasks.schedule_coverage_update(["id"])

    assert calls == [{"countdown": tasks.UPDATE_DELAY_SECONDS}]


def test_schedule_coverage_update_survives_a_broker_outage(monkeypatch):
    def down(**kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.coverage_update, "apply_async", down)
    tasks.cache.delete(tasks._SCHEDULED_KEY)

    tasks.schedule_coverage_update(["id"])  # logs, does not raise

    assert tasks.cache.get(tasks._SCHEDULED_KEY) is None  # the next statement tries again


def test_coverage_tasks_run_the_services():
    department = OrganisationFactory()
    course, _ = course_building()
    complete(_learners(department, 3), course)

    assert tasks.coverage_update()["learners"] >= 0
    assert tasks.coverage_rebuild()["rebuilt"] is True
    assert tasks.coverage_snapshot_previous_month() == 2


def test_rebuild_coverage_command(capsys):
    course, _ = course_building()
    complete(_learners(OrganisationFactory(), 2), course)

    call_command("rebuild_coverage")
    call_command("rebuild_coverage", "--incremental")

    assert "Coverage up to statement" in capsys.readouterr().out


def test_storing_statements_schedules_a_coverage_update_after_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(tasks.coverage_update, "apply_async", lambda **kw: calls.append(kw))
    tasks.cache.delete(tasks._SCHEDULED_KEY)
    course, _ = course_building()
    learner = ProfileFactory().user

    with django_capture_on_commit_callbacks(execute=True):
        complete([learner], course)
        assert calls == []  # nothing before the commit

    assert calls == [{"countdown": tasks.UPDATE_DELAY_SECONDS}]


def test_a_run_that_changes_the_figures_warms_the_cubes_hr_leads_open(monkeypatch):
    led, unled = OrganisationFactory(), OrganisationFactory()
    ProfileFactory(organisation=led).hr_lead_for.add(led)
    course, _ = course_building()
    complete(_learners(led, 3) + _learners(unled, 3), course)
    built = []
    real = cubes.protect_coverage

    def counting(data, **kwargs):
        built.append(data)
        return real(data, **kwargs)

    monkeypatch.setattr(cubes, "protect_coverage", counting)

    tasks.coverage_update()  # eager in tests: the warm task runs at once

    assert len(built) == len(Series.values)  # the led department only, both series
    selectors._recent_cubes.clear()
    cube = selectors.published_cube(department=led)  # from the shared cache, not rebuilt
    assert len(built) == len(Series.values)
    assert cube.headcount(selectors.ALL) != 0

    tasks.coverage_update()  # nothing new: nothing to warm
    assert len(built) == len(Series.values)
