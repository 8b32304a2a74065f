"""Fold statements into learner skill levels and department coverage counts.

The incremental job reads the statements stored since a watermark (the last statement pk
folded in), finds the learners they concern (including learners whose evidence was voided),
recomputes those learners' levels from all their evidence, and applies the differences to the
department x grade x profession x skill x level counts. Recomputing per learner, rather than
adding up, is what makes a run safe to repeat and to resume after dying midway. The full
rebuild computes the same tables with two set-based SQL statements.
"""

import logging
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from learners.learning.models import SelfAssessment
from learners.lrs.models import Statement
from learners.models import Profile, User
from reporting.evidence import EVIDENCE_VERBS, evidence_activity_rows
from reporting.models import (
    AggregationState,
    CoverageCount,
    CoverageSnapshot,
    EvidenceActivity,
    LearnerSkillLevel,
    Series,
)

logger = logging.getLogger(__name__)

JOB_NAME = "coverage"
BATCH_SIZE = 10_000
# A pk missing from the sequence may belong to a transaction that has not committed yet; wait
# this long before treating the gap as a rollback and reading past it.
GAP_GRACE = timedelta(seconds=30)


@dataclass
class RunSummary:
    statements: int = 0
    learners: int = 0
    skipped: bool = False
    rebuilt: bool = False
    watermark: int = 0


def _in(field: str, values) -> Q:
    """`field IN values`, sent as one array parameter on PostgreSQL: with thousands of values,
    building and parsing one placeholder each costs more than the query itself.
    """
    values = list(values)
    if connection.vendor == "postgresql" and len(values) > 100:
        return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s)", [values])})
    return Q(**{f"{field}__in": values})


# --- Who a statement is about -------------------------------------------------------------


def _account_prefix() -> str:
    return f"account:{settings.SITE_BASE_URL} "


def _user_ids_for_actors(actor_ifis) -> dict[str, int]:
    """Map the platform's own account IFIs to user ids; other actors are not our learners."""
    prefix = _account_prefix()
    by_learner_id = {}
    for ifi in actor_ifis:
        if ifi and ifi.startswith(prefix):
            try:
                by_learner_id[uuid.UUID(ifi[len(prefix) :])] = ifi
            except ValueError:
                continue
    if not by_learner_id:
        return {}
    users = User.objects.filter(_in("learner_id", by_learner_id)).values_list("learner_id", "pk")
    return {by_learner_id[learner_id]: pk for learner_id, pk in users}


def _placements(user_ids) -> dict[int, tuple[int, int | None, int | None]]:
    """Where each learner is counted: (organisation, grade, profession), if they have one."""
    rows = Profile.objects.filter(_in("user_id", user_ids), organisation__isnull=False)
    return {
        user_id: (organisation_id, grade_id, profession_id)
        for user_id, organisation_id, grade_id, profession_id in rows.values_list(
            "user_id", "organisation_id", "grade_id", "profession_id"
        )
    }


# --- Evidence ------------------------------------------------------------------------------


def evidence_activities_refresh() -> bool:
    """Bring the activity -> skill mapping up to date; True when it changed."""
    wanted = evidence_activity_rows()
    current = set(EvidenceActivity.objects.values_list("activity_iri", "skill_id", "level"))
    if wanted == current:
        return False
    stale = current - wanted
    for iri, skill_id, level in stale:
        EvidenceActivity.objects.filter(activity_iri=iri, skill_id=skill_id, level=level).delete()
    EvidenceActivity.objects.bulk_create(
        [EvidenceActivity(activity_iri=i, skill_id=s, level=lv) for i, s, lv in wanted - current],
        update_conflicts=True,
        unique_fields=["activity_iri", "skill"],
        update_fields=["level"],
    )
    return True


def _evidence_map() -> dict[str, list[tuple[int, int]]]:
    mapping = defaultdict(list)
    for iri, skill_id, level in EvidenceActivity.objects.values_list(
        "activity_iri", "skill_id", "level"
    ):
        mapping[iri].append((skill_id, level))
    return mapping


def _evidenced_levels(actor_by_user: dict[int, str], evidence) -> dict[tuple[int, int], int]:
    """Highest evidenced level per (user, skill), from every unvoided evidence statement."""
    user_by_actor = {ifi: user_id for user_id, ifi in actor_by_user.items()}
    levels: dict[tuple[int, int], int] = {}
    rows = Statement.objects.filter(
        _in("actor_ifi", user_by_actor),
        verb_id__in=EVIDENCE_VERBS,
        activity_id__in=list(evidence),
        voided=False,
    ).values_list("actor_ifi", "activity_id")
    for actor_ifi, activity_id in rows.iterator(chunk_size=5000):
        user_id = user_by_actor[actor_ifi]
        for skill_id, level in evidence[activity_id]:
            key = (user_id, skill_id)
            if level > levels.get(key, 0):
                levels[key] = level
    return levels


def _self_assessed_levels(user_ids) -> dict[tuple[int, int], int]:
    rows = SelfAssessment.objects.filter(user_id__in=list(user_ids))
    return {(u, s): level for u, s, level in rows.values_list("user_id", "skill_id", "level")}


# --- Applying changes ----------------------------------------------------------------------


def _cell(row_or_placement, skill_id, series, level):
    organisation_id, grade_id, profession_id = row_or_placement
    return (organisation_id, grade_id or 0, profession_id or 0, skill_id, series, level)


def _apply_deltas(deltas: Counter) -> None:
    """Add the deltas to the counts: increments as one upsert, decrements as one update.

    They cannot share the upsert, since PostgreSQL checks the proposed row's CHECK constraint
    (count >= 0) before it finds the conflict. A count that drops to zero stays as a zero row
    ("nobody here now"); the constraint refuses a count below zero, which would mean a bug.
    """
    table = CoverageCount._meta.db_table
    columns = "organisation_id, grade_key, profession_key, skill_id, series, level"
    increments = [(*key, delta) for key, delta in deltas.items() if delta > 0]
    decrements = [(*key, delta) for key, delta in deltas.items() if delta < 0]
    upsert = (
        f"INSERT INTO {table} ({columns}, count) {{rows}} "
        f"ON CONFLICT ({columns}) DO UPDATE SET count = {table}.count + excluded.count"
    )
    update = (
        f"WITH d(o, g, p, s, series, level, delta) AS ({{rows}}) "  # noqa: S608
        f"UPDATE {table} SET count = {table}.count + d.delta FROM d "
        f"WHERE {table}.organisation_id = d.o AND {table}.grade_key = d.g "
        f"AND {table}.profession_key = d.p AND {table}.skill_id = d.s "
        f"AND {table}.series = d.series AND {table}.level = d.level"
    )
    with connection.cursor() as cursor:
        for sql, rows in ((upsert, increments), (update, decrements)):
            for statement, params, size in _row_batches(sql, rows, COUNT_TYPES):
                cursor.execute(statement, params)
                # sqlite3 reports -1 for a statement that starts with WITH: unknown, not wrong.
                if sql is update and cursor.rowcount not in (-1, size):
                    raise RuntimeError("a coverage count to decrease does not exist")


COUNT_TYPES = ("bigint", "integer", "integer", "bigint", "text", "smallint", "integer")
LEVEL_TYPES = ("bigint", "bigint", "text", "smallint", "bigint", "bigint", "bigint")


def _row_batches(sql: str, rows: list[tuple], types: tuple[str, ...]):
    """(statement, parameters, row count) to send `rows` in `sql`'s {rows} slot: one unnest of
    typed arrays on PostgreSQL, VALUES lists of at most 500 rows elsewhere.
    """
    if not rows:
        return
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{kind}[]" for kind in types)
        source = f"SELECT * FROM unnest({arrays})"  # noqa: S608 - types are constants
        yield sql.format(rows=source), [list(c) for c in zip(*rows, strict=True)], len(rows)
        return
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        values = ", ".join(["(" + ", ".join(["%s"] * len(types)) + ")"] * len(chunk))
        params = [value for row in chunk for value in row]
        yield sql.format(rows=f"VALUES {values}"), params, len(chunk)  # noqa: S608


def _apply_levels(user_ids, wanted: dict[str, dict], *, complete: bool) -> int:
    """Make the learners' stored levels match `wanted` and correct the counts.

    `wanted[series][(user_id, skill_id)] = level`. With `complete`, a stored level missing from
    `wanted` is deleted (a full recompute); without, `wanted` only raises levels (new evidence
    can only add). Either way a learner is (re)counted where their profile places them now.
    The job's lock (the state row) keeps other writers out, so rows are read without locks.
    """
    placements = _placements(user_ids)
    existing = {
        (user_id, skill_id, series): (pk, level, (organisation_id, grade_id, profession_id))
        for pk, user_id, skill_id, series, level, organisation_id, grade_id, profession_id in (
            LearnerSkillLevel.objects.filter(_in("user_id", user_ids)).values_list(
                "pk",
                "user_id",
                "skill_id",
                "series",
                "level",
                "organisation_id",
                "grade_id",
                "profession_id",
            )
        )
    }
    deltas: Counter = Counter()
    upserts, to_delete, seen = [], [], set()
    for series, levels in wanted.items():
        for (user_id, skill_id), level in levels.items():
            placement = placements.get(user_id)
            if placement is None:
                continue  # no department: not counted anywhere
            key = (user_id, skill_id, series)
            seen.add(key)
            old = existing.get(key)
            if old is not None:
                _pk, old_level, old_place = old
                level = level if complete else max(level, old_level)
                if old_level == level and old_place == placement:
                    continue
                deltas[_cell(old_place, skill_id, series, old_level)] -= 1
            deltas[_cell(placement, skill_id, series, level)] += 1
            upserts.append((user_id, skill_id, str(series), level, *placement))
    if complete:
        for key, (pk, old_level, old_place) in existing.items():
            if key not in seen:
                deltas[_cell(old_place, key[1], key[2], old_level)] -= 1
                to_delete.append(pk)
    table = LearnerSkillLevel._meta.db_table
    upsert = (
        f"INSERT INTO {table} (user_id, skill_id, series, level, organisation_id, grade_id, "
        f"profession_id) {{rows}} ON CONFLICT (user_id, skill_id, series) DO UPDATE SET "
        f"level = excluded.level, organisation_id = excluded.organisation_id, "
        f"grade_id = excluded.grade_id, profession_id = excluded.profession_id"
    )
    with connection.cursor() as cursor:
        for statement, params, _size in _row_batches(upsert, upserts, LEVEL_TYPES):
            cursor.execute(statement, params)
    LearnerSkillLevel.objects.filter(_in("pk", to_delete)).delete()
    _apply_deltas(deltas)
    return len(upserts) + len(to_delete)


def learner_levels_recompute(*, user_ids) -> int:
    """Recompute both series of these learners from all their evidence and correct the counts;
    returns how many learner skill levels changed. Safe to run any number of times.
    """
    user_ids = set(user_ids)
    if not user_ids:
        return 0
    prefix = _account_prefix()
    actor_by_user = {
        pk: f"{prefix}{learner_id}"
        for pk, learner_id in User.objects.filter(pk__in=user_ids).values_list("pk", "learner_id")
    }
    wanted = {
        Series.EVIDENCED: _evidenced_levels(actor_by_user, _evidence_map()),
        Series.SELF_ASSESSED: _self_assessed_levels(user_ids),
    }
    return _apply_levels(user_ids, wanted, complete=True)


def learner_levels_raise(*, levels: dict[tuple[int, int], int]) -> int:
    """Fold new evidence in: each (user, skill) goes up to the given level if that is higher.

    Evidence only ever adds, so new statements need no look at a learner's older ones.
    """
    if not levels:
        return 0
    user_ids = {user_id for user_id, _skill_id in levels}
    return _apply_levels(user_ids, {Series.EVIDENCED: levels}, complete=False)


# --- The incremental job -------------------------------------------------------------------


def _locked_state() -> AggregationState | None:
    """The job's state row, locked for this transaction; None if another run holds it."""
    AggregationState.objects.get_or_create(name=JOB_NAME)
    try:
        return AggregationState.objects.select_for_update(nowait=True).get(name=JOB_NAME)
    except DatabaseError:
        return None


def _safe_upper_bound(pks: list[int], after: int, now) -> int:
    """The last pk before the first young gap in the sequence (see GAP_GRACE); `after` if the
    batch starts with one. Only a gap costs a look at its statement's `stored` time.
    """
    expected = after + 1
    for pk in pks:
        if pk != expected:
            stored = Statement.objects.filter(pk=pk).values_list("stored", flat=True).first()
            if stored is None or now - stored < GAP_GRACE:
                return expected - 1
        expected = pk + 1
    return expected - 1


def _batch(after: int, batch_size: int, now) -> tuple[int, int, list[tuple]]:
    """The next batch's upper pk bound, how many statements it holds, and those of them that
    can change a level: evidence verbs and voiding statements.
    """
    pks = list(
        Statement.objects.filter(pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    upper = _safe_upper_bound(pks, after, now)
    if upper == after:
        return after, 0, []
    rows = Statement.objects.filter(
        Q(verb_id__in=EVIDENCE_VERBS) | Q(is_voiding=True), pk__gt=after, pk__lte=upper
    ).values_list("actor_ifi", "verb_id", "activity_id", "is_voiding", "object_statement_id")
    return upper, sum(1 for pk in pks if pk <= upper), list(rows)


def _rebuild_watermark(now) -> int:
    """After a rebuild, go on from the newest statement old enough that every statement before
    it has committed; folding the newer ones again is harmless (it can only raise a level to
    what the rebuild already found).
    """
    settled = Statement.objects.filter(stored__lt=now - GAP_GRACE).order_by("-stored", "-pk")
    return settled.values_list("pk", flat=True).first() or 0


def _new_evidence(rows, evidence) -> tuple[dict[tuple[int, int], int], set[int]]:
    """From a batch of statements: the levels they evidence per (user, skill), and the
    learners whose evidence a voiding statement takes away (they need a full recompute).
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
    users = _user_ids_for_actors({actor for actor, _skill in by_actor} | voided_actors)
    levels = {
        (users[actor], skill_id): level
        for (actor, skill_id), level in by_actor.items()
        if actor in users
    }
    return levels, {users[actor] for actor in voided_actors if actor in users}


def _changed_profiles(since) -> set[int]:
    """Learners whose placement or self-assessment changed since the last run."""
    if since is None:
        return set()
    users = set(Profile.objects.filter(updated_at__gt=since).values_list("user_id", flat=True))
    users.update(
        SelfAssessment.objects.filter(updated_at__gt=since).values_list("user_id", flat=True)
    )
    return users


def coverage_update(*, batch_size: int = BATCH_SIZE) -> RunSummary:
    """Fold every statement stored since the watermark into the coverage, batch by batch.

    Each batch commits with its watermark, so a run that dies resumes where it stopped; the
    state row's lock keeps two runs from folding the same batch.
    """
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
            mapping_changed = not mapping_checked and evidence_activities_refresh()
            mapping_checked = True
            if state.last_run_started is None or mapping_changed:
                # First run, or the curriculum's mapping of activities to skills changed.
                _rebuild_tables()
                summary.rebuilt = True
                state.watermark = _rebuild_watermark(now)
                state.profiles_watermark = now
                state.last_run_started = now
                state.save()
                continue
            upper, read, rows = _batch(state.watermark, batch_size, now)
            levels, voided_users = _new_evidence(rows, _evidence_map()) if rows else ({}, set())
            recompute = voided_users | _changed_profiles(state.profiles_watermark)
            learner_levels_raise(
                levels={key: v for key, v in levels.items() if key[0] not in recompute}
            )
            learner_levels_recompute(user_ids=recompute)
            affected = {user_id for user_id, _skill in levels} | recompute
            state.watermark = upper
            state.profiles_watermark = now
            state.last_run_started = state.last_run_started or now
            state.last_run_finished = timezone.now()
            state.statements_processed += read
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


def _rebuild_tables() -> None:
    """Recompute learner levels and counts from scratch with set-based SQL."""
    tables = {
        "level": LearnerSkillLevel._meta.db_table,
        "count": CoverageCount._meta.db_table,
        "statement": Statement._meta.db_table,
        "evidence": EvidenceActivity._meta.db_table,
        "user": User._meta.db_table,
        "profile": Profile._meta.db_table,
        "self": SelfAssessment._meta.db_table,
    }
    verbs = ", ".join(["%s"] * len(EVIDENCE_VERBS))
    false = "false" if connection.vendor == "postgresql" else "0"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for statement in POSTGRES_REBUILD_SETTINGS:
                cursor.execute(statement)
        cursor.execute(f"DELETE FROM {tables['count']}")  # noqa: S608
        cursor.execute(f"DELETE FROM {tables['level']}")  # noqa: S608
        # Highest level per actor and skill first, then to learners: the same shape as the
        # independent query the benchmark compares with.
        cursor.execute(
            f"""
            INSERT INTO {tables["level"]}
                (user_id, skill_id, series, level, organisation_id, grade_id, profession_id)
            SELECT u.id, best.skill_id, %s, best.level, p.organisation_id, p.grade_id,
                   p.profession_id
            FROM (
                SELECT s.actor_ifi, e.skill_id, MAX(e.level) AS level
                FROM {tables["statement"]} s
                JOIN {tables["evidence"]} e ON e.activity_iri = s.activity_id
                WHERE s.voided = {false} AND s.verb_id IN ({verbs})
                GROUP BY s.actor_ifi, e.skill_id
            ) best
            JOIN {tables["user"]} u ON {_actor_join_sql("best")}
            JOIN {tables["profile"]} p ON p.user_id = u.id
            WHERE p.organisation_id IS NOT NULL
            """,  # noqa: S608 - table names come from models, values are parameters
            [Series.EVIDENCED, *EVIDENCE_VERBS, _account_prefix()],
        )
        cursor.execute(
            f"""
            INSERT INTO {tables["level"]}
                (user_id, skill_id, series, level, organisation_id, grade_id, profession_id)
            SELECT a.user_id, a.skill_id, %s, a.level, p.organisation_id, p.grade_id,
                   p.profession_id
            FROM {tables["self"]} a
            JOIN {tables["profile"]} p ON p.user_id = a.user_id
            WHERE p.organisation_id IS NOT NULL
            """,  # noqa: S608
            [Series.SELF_ASSESSED],
        )
        cursor.execute(
            f"""
            INSERT INTO {tables["count"]}
                (organisation_id, grade_key, profession_key, skill_id, series, level, count)
            SELECT organisation_id, COALESCE(grade_id, 0), COALESCE(profession_id, 0),
                   skill_id, series, level, COUNT(*)
            FROM {tables["level"]}
            GROUP BY organisation_id, COALESCE(grade_id, 0), COALESCE(profession_id, 0),
                     skill_id, series, level
            """  # noqa: S608
        )


@transaction.atomic
def coverage_rebuild() -> RunSummary:
    """Recompute everything from all statements; gives the same tables as the incremental job."""
    state = _locked_state()
    if state is None:
        return RunSummary(skipped=True)
    evidence_activities_refresh()
    now = timezone.now()
    watermark = _rebuild_watermark(now)
    _rebuild_tables()
    state.watermark = watermark
    state.profiles_watermark = now
    state.last_run_started = state.last_run_started or now
    state.last_run_finished = timezone.now()
    state.save()
    return RunSummary(rebuilt=True, watermark=watermark)


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
