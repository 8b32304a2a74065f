"""The coverage jobs: fold statements into learner skill levels and department counts.

The incremental job reads the statements stored since a watermark (the last statement pk
folded in), raises the levels of the learners with new evidence (new evidence can only add),
recomputes from all their evidence the learners whose evidence was voided or whose profile
changed, and applies the differences to the department x grade x profession x skill x level
counts. Both steps set levels rather than add to them, which makes a run safe to repeat and to
resume after dying midway. The full rebuild computes the same tables with set-based SQL.
"""

import gc
import logging
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from learners.learning.models import SelfAssessment
from learners.lrs.models import Statement
from learners.models import Profile, User
from reporting.evidence import EVIDENCE_VERBS
from reporting.models import (
    AggregationState,
    CoverageCount,
    CoverageSnapshot,
    EvidenceActivity,
    LearnerSkillLevel,
    Series,
)
from reporting.services.levels import (
    COUNT_KEY,
    account_prefix,
    evidence_activities_refresh,
    evidence_map,
    learner_levels_raise,
    learner_levels_recompute,
    learners_for_actors,
)

logger = logging.getLogger(__name__)

JOB_NAME = "coverage"
BATCH_SIZE = 10_000


def gap_grace() -> timedelta:
    """A pk missing from the sequence may belong to a transaction that has not committed yet;
    wait this long (REPORTING_GAP_GRACE_SECONDS) before treating the gap as a rollback.
    """
    return timedelta(seconds=settings.REPORTING_GAP_GRACE_SECONDS)


@dataclass
class RunSummary:
    statements: int = 0
    learners: int = 0
    skipped: bool = False
    rebuilt: bool = False
    watermark: int = 0


# --- The incremental job -------------------------------------------------------------------


def _locked_state() -> AggregationState | None:
    """The job's state row, locked for this transaction; None if another run holds it."""
    AggregationState.objects.get_or_create(name=JOB_NAME)
    try:
        return AggregationState.objects.select_for_update(nowait=True).get(name=JOB_NAME)
    except DatabaseError:
        return None


def _safe_upper_bound(pks: list[int], after: int, now) -> int:
    """The last pk before the first young gap in the sequence (see gap_grace); `after` if the
    batch starts with one. Only a gap costs a look at its statement's `stored` time.
    """
    expected = after + 1
    for pk in pks:
        if pk != expected:
            stored = Statement.objects.filter(pk=pk).values_list("stored", flat=True).first()
            if stored is None or now - stored < gap_grace():
                return expected - 1
        expected = pk + 1
    return expected - 1


def _batch(after: int, batch_size: int, now) -> tuple[int, int, list[tuple]]:
    """The next batch's upper pk bound, how many statements it holds, and those of them that
    can change a level: evidence verbs and voiding statements. One read of the batch.
    """
    rows = list(
        Statement.objects.filter(pk__gt=after)
        .order_by("pk")
        .values_list(
            "pk", "actor_ifi", "verb_id", "activity_id", "is_voiding", "object_statement_id"
        )[:batch_size]
    )
    upper = _safe_upper_bound([row[0] for row in rows], after, now)
    if upper == after:
        return after, 0, []
    within = [row for row in rows if row[0] <= upper]
    evidence = [row[1:] for row in within if row[2] in EVIDENCE_VERBS or row[4]]
    return upper, len(within), evidence


def _rebuild_watermark(now) -> int:
    """After a rebuild, go on from the newest statement old enough that every statement before
    it has committed; folding the newer ones again is harmless (it can only raise a level to
    what the rebuild already found).
    """
    settled = Statement.objects.filter(stored__lt=now - gap_grace()).order_by("-stored", "-pk")
    return settled.values_list("pk", flat=True).first() or 0


def _new_evidence(rows, evidence) -> tuple[dict[tuple[int, int], int], set[int], dict]:
    """From a batch of statements: the levels they evidence per (user, skill), the learners
    whose evidence a voiding statement takes away (they need a full recompute), and where the
    learners are counted.
    """
    by_actor: dict[tuple[str, int], int] = {}
    voided_ids = []
    for actor_ifi, verb_id, activity_id, is_voiding, target_id in rows:
        if is_voiding and target_id:
            voided_ids.append(target_id)
        elif verb_id in EVIDENCE_VERBS and activity_id in evidence:
            for skill_id, level in evidence[activity_id]:
                key = (actor_ifi, skill_id)
                by_actor[key] = max(level, by_actor.get(key, 0))
    voided_actors = set()
    if voided_ids:
        voided_actors = set(
            Statement.objects.filter(
                statement_id__in=voided_ids, verb_id__in=EVIDENCE_VERBS
            ).values_list("actor_ifi", flat=True)
        )
    users, placements = learners_for_actors({actor for actor, _skill in by_actor} | voided_actors)
    levels = {
        (users[actor], skill_id): level
        for (actor, skill_id), level in by_actor.items()
        if actor in users
    }
    return levels, {users[actor] for actor in voided_actors if actor in users}, placements


def _derived_rows_lost(state: AggregationState) -> bool:
    """The derived tables are UNLOGGED on PostgreSQL (they can be rebuilt from statements), so
    a crash empties them: the state row, which is logged, remembers they held rows.
    """
    return state.derived_rows_stored and not LearnerSkillLevel.objects.exists()


def _profiles_watermark(now):
    """Where the next run reads changed profiles and self-assessments from: the run's start
    less the grace given to statements. `updated_at` is stamped when a row is saved, before its
    transaction commits; a save still uncommitted when the run starts is invisible to it, and
    going on from the run's start would skip it for good. Recomputing a learner twice is
    harmless.
    """
    return now - gap_grace()


def _changed_profiles(since) -> set[int]:
    """Learners whose placement or self-assessment changed since the last run."""
    if since is None:
        return set()
    users = set(Profile.objects.filter(updated_at__gt=since).values_list("user_id", flat=True))
    users.update(
        SelfAssessment.objects.filter(updated_at__gt=since).values_list("user_id", flat=True)
    )
    return users


@contextmanager
def _cycle_collector_paused():
    """A batch allocates tens of thousands of small tuples and no reference cycles, so the
    cycle collector has nothing to find; yet the allocations set off a full collection of the
    worker's heap (Django, Wagtail and all they import), which costs more than the batch's SQL.
    Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def coverage_update(*, batch_size: int = BATCH_SIZE) -> RunSummary:
    """Fold every statement stored since the watermark into the coverage, batch by batch.

    Each batch commits with its watermark, so a run that dies resumes where it stopped; the
    state row's lock keeps two runs from folding the same batch.
    """
    with _cycle_collector_paused():
        return _coverage_update(batch_size)


def _coverage_update(batch_size: int) -> RunSummary:
    summary = RunSummary()
    mapping_checked = False
    while True:
        with transaction.atomic():
            state = _locked_state()
            if state is None:
                summary.skipped = True
                logger.info("coverage update skipped: another run holds the lock")
                return summary
            now = timezone.now()
            first_batch, mapping_checked = not mapping_checked, True
            mapping_changed = first_batch and evidence_activities_refresh()
            rows_lost = first_batch and _derived_rows_lost(state)
            if state.last_run_started is None or mapping_changed or rows_lost:
                # First run, the curriculum's mapping of activities to skills changed, or a
                # database crash emptied the (unlogged) derived tables.
                _rebuild(state, now)
                summary.rebuilt = True
                state.last_run_started = now
                state.save()
                continue
            upper, read, rows = _batch(state.watermark, batch_size, now)
            levels, voided_users, placements = (
                _new_evidence(rows, evidence_map()) if rows else ({}, set(), {})
            )
            recompute = voided_users | _changed_profiles(state.profiles_watermark)
            learner_levels_raise(
                levels={key: v for key, v in levels.items() if key[0] not in recompute},
                placements=placements,
            )
            learner_levels_recompute(user_ids=recompute)
            affected = {user_id for user_id, _skill in levels} | recompute
            state.watermark = upper
            state.profiles_watermark = _profiles_watermark(now)
            state.last_run_started = state.last_run_started or now
            state.last_run_finished = timezone.now()
            state.statements_processed += read
            state.derived_rows_stored = state.derived_rows_stored or bool(affected)
            state.save()
            summary.statements += read
            summary.learners += len(affected)
            summary.watermark = state.watermark
        if read < batch_size:
            return summary


# --- The full rebuild ----------------------------------------------------------------------


def _actor_join_sql(alias: str) -> str:
    """SQL matching an actor IFI column to a user's opaque learner id."""
    if connection.vendor == "postgresql":
        return f"{alias}.actor_ifi = %s || CAST(u.learner_id AS text)"
    # SQLite keeps UUIDs as 32 hex digits; the IFI has the hyphenated form.
    hyphenated = (
        "substr(u.learner_id,1,8)||'-'||substr(u.learner_id,9,4)||'-'||"
        "substr(u.learner_id,13,4)||'-'||substr(u.learner_id,17,4)||'-'||substr(u.learner_id,21)"
    )
    return f"{alias}.actor_ifi = %s || lower({hyphenated})"


# Session settings for the rebuild's large set-based statements on PostgreSQL (this transaction
# only): sorts and hashes in memory, and no JIT compilation, which costs more than it saves.
POSTGRES_REBUILD_SETTINGS = ("SET LOCAL work_mem = '256MB'", "SET LOCAL jit = off")


def _tables() -> dict[str, str]:
    return {
        "level": LearnerSkillLevel._meta.db_table,
        "count": CoverageCount._meta.db_table,
        "statement": Statement._meta.db_table,
        "evidence": EvidenceActivity._meta.db_table,
        "user": User._meta.db_table,
        "profile": Profile._meta.db_table,
        "self": SelfAssessment._meta.db_table,
    }


# Scratch tables of one rebuild, private to its database session.
REBUILT_LEVELS = "reporting_rebuilt_levels"
REBUILT_COUNTS = "reporting_rebuilt_counts"
CHANGED_COUNTS = "reporting_changed_counts"


def _create_scratch(cursor, name: str, select: str, params=()) -> None:
    """A temporary table from a query, analysed so that joins with it are planned well."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    on_commit = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
    cursor.execute(f"CREATE TEMPORARY TABLE {name}{on_commit} AS {select}", params)
    cursor.execute(f"ANALYZE {name}")  # nothing analyses temporary tables on its own


def _rebuild_tables() -> None:
    """Recompute learner levels and counts from scratch with set-based SQL.

    Every learner's levels (both series) make a new levels table on PostgreSQL (see
    `_levels_table_create`) or refill it elsewhere; the counts are grouped from them and
    applied as a difference, so cells that did not change are not rewritten.
    """
    t = _tables()
    verbs = ", ".join(["%s"] * len(EVIDENCE_VERBS))
    false = "false" if connection.vendor == "postgresql" else "0"
    levels_select = f"""
        SELECT u.id AS user_id, best.skill_id, %s AS series, best.level,
               p.organisation_id, p.grade_id, p.profession_id
        FROM (
            SELECT s.actor_ifi, e.skill_id, MAX(e.level) AS level
            FROM {t["statement"]} s
            JOIN {t["evidence"]} e ON e.activity_iri = s.activity_id
            WHERE s.voided = {false} AND s.verb_id IN ({verbs})
            GROUP BY s.actor_ifi, e.skill_id
        ) best
        JOIN {t["user"]} u ON {_actor_join_sql("best")}
        JOIN {t["profile"]} p ON p.user_id = u.id
        WHERE p.organisation_id IS NOT NULL
        UNION ALL
        SELECT a.user_id, a.skill_id, %s, a.level, p.organisation_id, p.grade_id, p.profession_id
        FROM {t["self"]} a
        JOIN {t["profile"]} p ON p.user_id = a.user_id
        WHERE p.organisation_id IS NOT NULL
    """  # noqa: S608 - table names come from models, values are parameters
    params = [Series.EVIDENCED, *EVIDENCE_VERBS, account_prefix(), Series.SELF_ASSESSED]
    level_columns = "user_id, skill_id, series, level, organisation_id, grade_id, profession_id"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in POSTGRES_REBUILD_SETTINGS:
                cursor.execute(statement)
            _levels_table_create(cursor, t["level"], levels_select, params)
            levels = t["level"]
        else:
            _create_scratch(cursor, REBUILT_LEVELS, levels_select, params)
            cursor.execute(f"DELETE FROM {t['level']}")  # noqa: S608
            cursor.execute(
                f"INSERT INTO {t['level']} ({level_columns}) "  # noqa: S608
                f"SELECT {level_columns} FROM {REBUILT_LEVELS}"
            )
            levels = REBUILT_LEVELS
        _create_scratch(
            cursor,
            REBUILT_COUNTS,
            f"SELECT organisation_id, COALESCE(grade_id, 0) AS grade_key, "  # noqa: S608
            f"COALESCE(profession_id, 0) AS profession_key, skill_id, series, level, "
            f"COUNT(*) AS count FROM {levels} GROUP BY organisation_id, "
            f"COALESCE(grade_id, 0), COALESCE(profession_id, 0), skill_id, series, level",
        )
        _apply_rebuilt_counts(cursor, t["count"])
        for name in (REBUILT_LEVELS, REBUILT_COUNTS, CHANGED_COUNTS):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")


def _levels_table_create(cursor, table: str, select: str, params) -> None:
    """Replace the levels table (PostgreSQL) with one built by a parallel CREATE TABLE AS, then
    key it: far quicker than filling the old table row by row. Only the jobs read this table,
    and they hold the job lock. The result matches the table the migrations make (unlogged,
    fillfactor 80, the same columns, key and check), which a test compares.
    """
    cursor.execute(f"DROP TABLE {table}")
    cursor.execute(
        f"CREATE UNLOGGED TABLE {table} WITH (fillfactor = 80) AS SELECT "  # noqa: S608
        "CAST(user_id AS bigint) AS user_id, CAST(skill_id AS bigint) AS skill_id, "
        "CAST(series AS varchar(10)) AS series, CAST(level AS smallint) AS level, "
        "CAST(organisation_id AS bigint) AS organisation_id, "
        "CAST(grade_id AS bigint) AS grade_id, CAST(profession_id AS bigint) AS profession_id "
        f"FROM ({select}) AS levels",
        params,
    )
    cursor.execute(
        f"ALTER TABLE {table} "
        f"ADD CONSTRAINT {table}_pkey PRIMARY KEY (user_id, skill_id, series), "
        "ALTER COLUMN level SET NOT NULL, ALTER COLUMN organisation_id SET NOT NULL, "
        f"ADD CONSTRAINT {table}_level_check CHECK (level >= 0)"
    )
    cursor.execute(f"ANALYZE {table}")


def _apply_rebuilt_counts(cursor, table: str) -> None:
    """Make the counts table equal the rebuilt counts, writing only the cells that differ.

    Readers of the counts keep seeing the old figures until the rebuild commits, and the job
    lock keeps other writers out. Two hash joins of the old and new counts find the cells to
    delete and the cells to change or add; an empty table (the first run) is simply filled.
    """
    keys = COUNT_KEY.split(", ")
    match = " AND ".join(f"r.{c} = o.{c}" for c in keys)
    new_columns = ", ".join(f"r.{c}" for c in keys)
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608
    if not cursor.fetchone()[0]:
        cursor.execute(
            f"INSERT INTO {table} ({COUNT_KEY}, count) "  # noqa: S608
            f"SELECT {COUNT_KEY}, count FROM {REBUILT_COUNTS} ORDER BY {COUNT_KEY}"
        )
        return
    cursor.execute(
        f"DELETE FROM {table} WHERE id IN (SELECT o.id FROM {table} o "  # noqa: S608
        f"LEFT JOIN {REBUILT_COUNTS} r ON {match} WHERE r.count IS NULL)"
    )
    _create_scratch(
        cursor,
        CHANGED_COUNTS,
        f"SELECT o.id AS id, {new_columns}, r.count AS count "  # noqa: S608
        f"FROM {REBUILT_COUNTS} r LEFT JOIN {table} o ON {match} "
        f"WHERE o.id IS NULL OR o.count <> r.count",
    )
    cursor.execute(
        f"UPDATE {table} SET count = c.count FROM {CHANGED_COUNTS} c "  # noqa: S608
        f"WHERE {table}.id = c.id"
    )
    cursor.execute(
        f"INSERT INTO {table} ({COUNT_KEY}, count) "  # noqa: S608
        f"SELECT {COUNT_KEY}, count FROM {CHANGED_COUNTS} WHERE id IS NULL ORDER BY {COUNT_KEY}"
    )


def _rebuild(state: AggregationState, now) -> None:
    """Rebuild both tables and move the state's watermarks to what the rebuild covered."""
    state.watermark = _rebuild_watermark(now)
    _rebuild_tables()
    state.derived_rows_stored = LearnerSkillLevel.objects.exists()
    state.profiles_watermark = _profiles_watermark(now)


@transaction.atomic
def coverage_rebuild() -> RunSummary:
    """Recompute everything from all statements; gives the same tables as the incremental job."""
    state = _locked_state()
    if state is None:
        return RunSummary(skipped=True)
    evidence_activities_refresh()
    now = timezone.now()
    _rebuild(state, now)
    state.last_run_started = state.last_run_started or now
    state.last_run_finished = timezone.now()
    state.save()
    return RunSummary(rebuilt=True, watermark=state.watermark)


# --- Monthly snapshots ---------------------------------------------------------------------


def month_start(day: date) -> date:
    """The first day of the day's month: the key of a monthly snapshot."""
    return day.replace(day=1)


@transaction.atomic
def coverage_snapshot_build(*, period: date) -> int:
    """Store every department's current counts and platform headcount as the month `period`.

    Run at the start of a month for the month just ended (beat); running it again for the
    same month replaces that month's snapshot. Returns how many snapshots were written.
    """
    period = month_start(period)
    counts = defaultdict(lambda: defaultdict(list))
    for c in CoverageCount.objects.all().iterator(chunk_size=5000):
        counts[c.organisation_id][c.series].append(
            [c.grade_key, c.profession_key, c.skill_id, c.level, c.count]
        )
    headcounts = defaultdict(Counter)
    for organisation_id, grade_id, profession_id in Profile.objects.filter(
        organisation__isnull=False
    ).values_list("organisation_id", "grade_id", "profession_id"):
        headcounts[organisation_id][(grade_id or 0, profession_id or 0)] += 1
    written = 0
    for organisation_id in set(counts) | set(headcounts):
        headcount = [[g, p, n] for (g, p), n in sorted(headcounts[organisation_id].items())]
        for series in Series.values:
            CoverageSnapshot.objects.update_or_create(
                organisation_id=organisation_id,
                period=period,
                series=series,
                defaults={
                    "counts": sorted(counts[organisation_id][series]),
                    "headcount": headcount,
                },
            )
            written += 1
    return written
