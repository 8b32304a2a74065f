import uuid

import pytest
from django.db import connection

from courses.models import SkillLevel
from learners.learning.models import SelfAssessment
from learners.learning.services import self_assessment_set
from learners.learning.xapi import FAILED, assessment_iri
from reporting.models import AggregationState, CoverageCount, LearnerSkillLevel, Series
from reporting.services import aggregation, coverage_rebuild, coverage_update
from tests.factories.courses import AssessmentPageFactory, SkillFactory
from tests.factories.learners import OrganisationFactory, ProfileFactory, UserFactory
from tests.factories.reporting import (
    COMPLETED,
    PASSED,
    complete,
    course_building,
    evidence,
    people,
    store,
)

pytestmark = pytest.mark.django_db


def _counts():
    return {
        (c.organisation_id, c.grade_key, c.profession_key, c.skill_id, c.series, c.level): c.count
        for c in CoverageCount.objects.all()
    }


def _levels():
    return set(
        LearnerSkillLevel.objects.values_list(
            "user_id",
            "skill_id",
            "series",
            "level",
            "organisation_id",
            "grade_id",
            "profession_id",
        )
    )


def test_coverage_update_counts_a_completed_course_at_its_level():
    course, skill = course_building(level=SkillLevel.PRACTITIONER)
    learner = ProfileFactory().user
    coverage_update()  # first run builds the tables
    complete([learner], course)

    summary = coverage_update()

    assert summary.statements == 1
    level = LearnerSkillLevel.objects.get(user=learner, skill=skill)
    assert level.level == SkillLevel.PRACTITIONER
    assert level.series == Series.EVIDENCED
    assert sum(_counts().values()) == 1


def test_coverage_update_keeps_the_highest_level_and_ignores_failures():
    course_working, skill = course_building(level=SkillLevel.WORKING)
    course_expert, _ = course_building(skill=skill, level=SkillLevel.EXPERT)
    learner = ProfileFactory().user
    coverage_update()

    complete([learner], course_working)
    store(evidence(learner, _iri(course_expert), FAILED))
    coverage_update()
    assert LearnerSkillLevel.objects.get(user=learner).level == SkillLevel.WORKING

    complete([learner], course_expert, verb=PASSED)
    coverage_update()
    assert LearnerSkillLevel.objects.get(user=learner).level == SkillLevel.EXPERT


def _iri(course):
    from learners.learning.xapi import course_iri

    return course_iri(course)


def test_coverage_update_counts_a_passed_assessment_of_the_course():
    course, skill = course_building(level=SkillLevel.WORKING)
    assessment = AssessmentPageFactory(parent=course)
    learner = ProfileFactory().user
    coverage_update()

    store(evidence(learner, assessment_iri(assessment), PASSED))
    coverage_update()

    assert LearnerSkillLevel.objects.get(user=learner, skill=skill).level == SkillLevel.WORKING


def test_coverage_update_counts_statements_from_external_content_through_xapi(client):
    from tests.factories.lrs import LRSClientFactory, xapi_headers

    course, skill = course_building(level=SkillLevel.WORKING)
    learner = ProfileFactory().user
    coverage_update()
    lrs_client = LRSClientFactory()

    response = client.post(
        "/xapi/statements",
        data=evidence(learner, _iri(course), COMPLETED),
        content_type="application/json",
        **xapi_headers(lrs_client),
    )
    assert response.status_code == 200, response.content
    coverage_update()

    assert LearnerSkillLevel.objects.filter(user=learner, skill=skill).exists()


def test_coverage_update_ignores_unknown_actors_and_learners_without_a_department():
    course, _ = course_building()
    no_department = UserFactory()
    coverage_update()
    stranger = evidence(no_department, _iri(course))
    stranger["actor"] = {"objectType": "Agent", "mbox": "mailto:someone@example.com"}

    store(stranger, evidence(no_department, _iri(course)))
    coverage_update()

    assert not LearnerSkillLevel.objects.exists()
    assert not CoverageCount.objects.exists()


def test_coverage_update_removes_voided_evidence():
    course, _ = course_building()
    learner = ProfileFactory().user
    coverage_update()
    [statement_id] = complete([learner], course)
    coverage_update()
    assert LearnerSkillLevel.objects.count() == 1

    store(
        {
            "actor": {"objectType": "Agent", "mbox": "mailto:admin@example.gov.uk"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-GB": "voided"}},
            "object": {"objectType": "StatementRef", "id": statement_id},
        }
    )
    coverage_update()

    assert not LearnerSkillLevel.objects.exists()
    assert not CoverageCount.objects.exists()  # the emptied cell goes, as in a rebuild


def test_coverage_update_moves_a_learner_who_changes_department():
    course, _ = course_building()
    profile = ProfileFactory()
    coverage_update()
    complete([profile.user], course)
    coverage_update()
    old = profile.organisation

    profile.organisation = OrganisationFactory()
    profile.save()
    coverage_update()

    assert not CoverageCount.objects.filter(organisation=old).exists()  # no zero rows
    assert CoverageCount.objects.get(organisation=profile.organisation).count == 1


def test_coverage_update_keeps_self_assessment_as_a_separate_series():
    course, skill = course_building(level=SkillLevel.WORKING)
    learner = ProfileFactory().user
    coverage_update()
    complete([learner], course)
    SelfAssessment.objects.create(user=learner, skill=skill, level=SkillLevel.EXPERT)

    coverage_update()

    levels = dict(LearnerSkillLevel.objects.filter(user=learner).values_list("series", "level"))
    assert levels == {Series.EVIDENCED: SkillLevel.WORKING, Series.SELF_ASSESSED: SkillLevel.EXPERT}


def test_coverage_rebuild_gives_the_same_tables_as_the_incremental_job():
    courses = [course_building(level=level)[0] for level in (1, 2, 3, 4)]
    learners = people(12)
    coverage_update()
    for index, learner in enumerate(learners):
        complete([learner], courses[index % 4])
        if index % 3 == 0:
            complete([learner], courses[(index + 1) % 4], verb=PASSED)
        coverage_update(batch_size=3)
    SelfAssessment.objects.create(
        user=learners[0], skill=courses[0].course_skills.first().skill, level=3
    )
    coverage_update()
    # Moves and a removed self-assessment take people out of cells, some down to nobody.
    for learner in learners[:3]:
        learner.profile.organisation = OrganisationFactory()
        learner.profile.save()
    self_assessment_set(user=learners[0], skill=courses[0].course_skills.first().skill, level=None)
    coverage_update()
    incremental = (_levels(), _counts())

    coverage_rebuild()

    # Row for row: the same keys and counts, and no zero row on either side.
    assert (_levels(), _counts()) == incremental
    assert 0 not in incremental[1].values()
    assert sum(incremental[1].values()) > 12


def test_coverage_update_resumes_after_dying_midway(monkeypatch):
    course, _ = course_building()
    learners = people(6)
    coverage_update()
    complete(learners, course)
    real = aggregation.learner_levels_raise
    calls = {"n": 0}

    def dies_on_second_batch(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return real(**kwargs)

    monkeypatch.setattr(aggregation, "learner_levels_raise", dies_on_second_batch)
    with pytest.raises(RuntimeError):
        coverage_update(batch_size=2)
    assert LearnerSkillLevel.objects.count() == 2  # the first batch committed

    monkeypatch.setattr(aggregation, "learner_levels_raise", real)
    coverage_update(batch_size=2)

    assert LearnerSkillLevel.objects.count() == 6
    assert sum(_counts().values()) == 6


def test_coverage_update_twice_changes_nothing():
    course, _ = course_building()
    complete(people(3), course)
    coverage_update()
    before = (_levels(), _counts())
    state = AggregationState.objects.get(name="coverage")
    state.watermark = 0  # as if a second run read the same statements again
    state.save()

    coverage_update()

    assert (_levels(), _counts()) == before


def test_coverage_update_rebuilds_when_a_course_changes_its_skills():
    course, skill = course_building(level=SkillLevel.WORKING)
    learner = ProfileFactory().user
    complete([learner], course)
    coverage_update()
    course.course_skills.update(level=SkillLevel.EXPERT)

    summary = coverage_update()

    assert summary.rebuilt is True
    assert LearnerSkillLevel.objects.get(user=learner, skill=skill).level == SkillLevel.EXPERT


def test_safe_upper_bound_stops_at_a_young_gap_and_passes_an_old_one(settings):
    from datetime import timedelta

    from django.utils import timezone

    from learners.lrs.models import Statement

    course, _ = course_building()
    complete(people(4), course)
    pks = list(Statement.objects.order_by("pk").values_list("pk", flat=True))
    settings.REPORTING_GAP_GRACE_SECONDS = 30
    Statement.objects.filter(pk=pks[1]).delete()  # as if its transaction had not committed
    after = pks[0] - 1
    now = timezone.now()

    assert aggregation._safe_upper_bound(pks[:1] + pks[2:], after, now) == pks[0]

    Statement.objects.filter(pk=pks[2]).update(stored=now - timedelta(minutes=5))
    assert aggregation._safe_upper_bound(pks[:1] + pks[2:], after, now) == pks[-1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_coverage_update_skips_while_another_run_holds_the_lock():
    import threading

    from django.db import transaction

    assert connection.vendor == "postgresql"
    coverage_update()
    holding, release = threading.Event(), threading.Event()

    def other_run():
        from django.db import connection as thread_connection

        with transaction.atomic():
            AggregationState.objects.select_for_update().get(name="coverage")
            holding.set()
            release.wait(10)
        thread_connection.close()

    thread = threading.Thread(target=other_run)
    thread.start()
    holding.wait(10)
    try:
        summary = coverage_update()
    finally:
        release.set()
        thread.join()

    assert summary.skipped is True


@pytest.mark.parametrize("field", ["user_id", "learner_id", "email"])
def test_large_in_lists_find_exactly_the_matching_rows_for_every_value_type(field):
    from learners.models import Profile, User
    from reporting.services.levels import _in

    model = Profile if field == "user_id" else User
    present = [getattr(ProfileFactory(), field if model is Profile else "user") for _ in range(2)]
    if model is User:
        present = [getattr(user, field) for user in present]
    absent = {
        "user_id": lambda n: 10_000 + n,
        "learner_id": lambda n: uuid.uuid4(),
        "email": lambda n: f"nobody{n}@example.gov.uk",
    }[field]
    values = present + [absent(n) for n in range(150)]

    found = model.objects.filter(_in(model, field, values)).values_list(field, flat=True)

    assert sorted(found) == sorted(present)


def test_coverage_update_rebuilds_when_a_crash_emptied_the_derived_tables():
    course, _ = course_building()
    complete(people(3), course)
    coverage_update()
    before = (_levels(), _counts())
    assert AggregationState.objects.get(name="coverage").derived_rows_stored is True
    # What PostgreSQL does to unlogged tables when it recovers from a crash.
    LearnerSkillLevel.objects.all().delete()
    CoverageCount.objects.all().delete()

    summary = coverage_update()

    assert summary.rebuilt is True
    assert (_levels(), _counts()) == before


def test_coverage_update_does_not_rebuild_when_nobody_has_evidence_yet():
    coverage_update()
    assert AggregationState.objects.get(name="coverage").derived_rows_stored is False

    assert coverage_update().rebuilt is False


@pytest.mark.postgres
def test_derived_tables_are_unlogged_with_room_for_hot_updates():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relpersistence, reloptions FROM pg_class WHERE relname IN "
            "('reporting_learnerskilllevel', 'reporting_coveragecount') ORDER BY relname"
        )
        rows = cursor.fetchall()

    assert rows == [
        ("reporting_coveragecount", "u", ["fillfactor=80"]),
        ("reporting_learnerskilllevel", "u", ["fillfactor=80"]),
    ]


@pytest.mark.postgres
def test_array_literal_round_trips_awkward_values():
    from reporting.services.levels import array_literal

    values = ['a "quoted" word', "back\\slash", "comma, and {braces}", "NULL", "", None, "é"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text[]", [array_literal(values)])
        assert cursor.fetchone()[0] == values
        cursor.execute("SELECT %s::bigint[]", [array_literal([1, -2, None, 3])])
        assert cursor.fetchone()[0] == [1, -2, None, 3]


def test_coverage_rebuild_corrects_counts_that_drifted_and_keeps_the_rest():
    courses = [course_building(level=level)[0] for level in (1, 3)]
    learners = people(6)
    for index, learner in enumerate(learners):
        complete([learner], courses[index % 2])
    coverage_update()
    right = _counts()
    drifted, missing, untouched = CoverageCount.objects.exclude(count=0).order_by("pk")[:3]
    CoverageCount.objects.filter(pk=drifted.pk).update(count=drifted.count + 5)
    missing.delete()
    CoverageCount.objects.create(
        organisation=OrganisationFactory(),
        skill=drifted.skill,
        series=Series.EVIDENCED,
        level=SkillLevel.EXPERT,
        count=7,
    )

    coverage_rebuild()

    assert _counts() == right
    assert CoverageCount.objects.filter(pk=untouched.pk).exists()  # unchanged rows stay put


def test_coverage_update_pauses_the_cycle_collector_only_while_it_runs(monkeypatch):
    import gc

    course, _ = course_building()
    coverage_update()
    complete(people(2), course)
    seen = []

    def dies(**kwargs):
        seen.append(gc.isenabled())
        raise RuntimeError("worker killed")

    monkeypatch.setattr(aggregation, "learner_levels_raise", dies)
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        coverage_update()

    assert seen == [False]
    assert gc.isenabled()


@pytest.mark.postgres
def test_the_rebuilt_levels_table_is_the_table_the_migrations_make():
    table = LearnerSkillLevel._meta.db_table

    def schema():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT column_name, data_type, character_maximum_length, is_nullable, "
                "column_default FROM information_schema.columns WHERE table_name = %s "
                "ORDER BY column_name",
                [table],
            )
            columns = cursor.fetchall()
            cursor.execute(
                "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass ORDER BY conname",
                [table],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "ORDER BY indexname",
                [table],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT relpersistence, reloptions FROM pg_class WHERE relname = %s", [table]
            )
            storage = cursor.fetchall()
        return columns, constraints, indexes, storage

    migrated = schema()
    course, _ = course_building()
    complete(people(3), course)

    coverage_rebuild()

    assert schema() == migrated
    assert LearnerSkillLevel.objects.count() == 3
    assert len(migrated[1]) == 2  # the key and the level check


def test_deleting_a_learner_deletes_their_levels():
    course, _ = course_building()
    leaving, staying = people(2)
    complete([leaving, staying], course)
    coverage_update()

    leaving.delete()

    assert set(LearnerSkillLevel.objects.values_list("user_id", flat=True)) == {staying.pk}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_move_saved_in_a_transaction_open_while_a_run_starts_is_not_lost(settings):
    """Two connections: the move is saved (and stamped) before a run starts, commits after it;
    the next run must still pick it up."""
    import psycopg
    from django.utils import timezone

    settings.REPORTING_GAP_GRACE_SECONDS = 30
    assert connection.vendor == "postgresql"
    # A self-assessed level (no course pages: a transactional test's flush removes Wagtail's).
    profile = ProfileFactory()
    old, new = profile.organisation, OrganisationFactory()
    coverage_update()
    SelfAssessment.objects.create(user=profile.user, skill=SkillFactory(), level=2)
    coverage_update()
    params = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in params.items() if k != "cursor_factory"}) as other:
        other.execute(
            "UPDATE learners_profile SET organisation_id = %s, updated_at = %s WHERE id = %s",
            [new.pk, timezone.now(), profile.pk],
        )
        coverage_update()  # the move is not committed yet: this run cannot see it
        assert LearnerSkillLevel.objects.get(user=profile.user).organisation_id == old.pk
        other.commit()

    coverage_update()

    assert LearnerSkillLevel.objects.get(user=profile.user).organisation_id == new.pk
    assert not CoverageCount.objects.filter(organisation=old).exists()
    assert CoverageCount.objects.get(organisation=new).count == 1
