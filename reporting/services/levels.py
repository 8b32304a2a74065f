"""Learner skill levels and the department counts they add up to.

Everything here works on a set of learners: work out their levels (from all their evidence,
or from new evidence only, which can only raise a level) and correct the counts by the
difference. The jobs in `aggregation` decide which learners to pass.
"""

import uuid
from collections import Counter, defaultdict

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from learners.learning.models import SelfAssessment
from learners.lrs.models import Statement
from learners.models import Profile, User
from reporting.evidence import EVIDENCE_VERBS, evidence_activity_rows
from reporting.models import CoverageCount, EvidenceActivity, LearnerSkillLevel, Series


def _in(model, field: str, values):
    """`field IN values` for a filter on `model`. On PostgreSQL with many values it is
    `field = ANY(%s::type[])`: one typed array parameter, which the planner turns into index
    lookups (building and parsing a placeholder per value, or unnesting a subquery the planner
    cannot size, costs more than the query itself).
    """
    values = list(values)
    if connection.vendor == "postgresql" and len(values) > 100:
        kind = ARRAY_TYPES[type(values[0])]
        column = connection.ops.quote_name(model._meta.get_field(field).column)
        table = connection.ops.quote_name(model._meta.db_table)
        return RawSQL(  # noqa: S611 - names come from the model, kind is a constant
            f"{table}.{column} = ANY(%s::{kind}[])",
            [array_literal(values)],
            output_field=BooleanField(),
        )
    return Q(**{f"{field}__in": values})


def array_literal(values) -> str:
    """A PostgreSQL array literal ('{1,"a b",NULL}') of the values, text elements quoted.

    Sent as one string parameter and cast in the SQL (`%s::bigint[]`): psycopg's client-side
    binding would otherwise quote each element of a list on its own, which costs more than the
    query for arrays of thousands.
    """

    def element(value):
        if value is None:
            return "NULL"
        if type(value) is int:
            return str(value)
        text = str(value).replace("\\", "\\\\").replace('"', '\\"')
        return f'"{text}"'

    return "{" + ",".join(map(element, values)) + "}"


# psycopg sends Python strings untyped, so the array's type must be named in the SQL.
ARRAY_TYPES = {str: "text", int: "bigint", uuid.UUID: "uuid"}


# --- Who a statement is about -------------------------------------------------------------


def account_prefix() -> str:
    """The start of the IFI of every learner of this site: "account:<site> "."""
    return f"account:{settings.SITE_BASE_URL} "


def learners_for_actors(actor_ifis) -> tuple[dict[str, int], dict[int, tuple]]:
    """Map the platform's own account IFIs to user ids (other actors are not our learners),
    with where each of them is counted (see `_placements`), in one query.
    """
    prefix = account_prefix()
    by_learner_id = {}
    for ifi in actor_ifis:
        if ifi and ifi.startswith(prefix):
            try:
                by_learner_id[uuid.UUID(ifi[len(prefix) :])] = ifi
            except ValueError:
                continue
    if not by_learner_id:
        return {}, {}
    rows = (
        User.objects.filter(_in(User, "learner_id", by_learner_id))
        .order_by()
        .values_list(
            "learner_id",
            "pk",
            "profile__organisation_id",
            "profile__grade_id",
            "profile__profession_id",
        )
    )
    users, placements = {}, {}
    for learner_id, pk, organisation_id, grade_id, profession_id in rows:
        users[by_learner_id[learner_id]] = pk
        if organisation_id is not None:
            placements[pk] = (organisation_id, grade_id, profession_id)
    return users, placements


def _placements(user_ids) -> dict[int, tuple[int, int | None, int | None]]:
    """Where each learner is counted: (organisation, grade, profession), if they have one."""
    rows = Profile.objects.filter(_in(Profile, "user_id", user_ids), organisation__isnull=False)
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


def evidence_map() -> dict[str, list[tuple[int, int]]]:
    """Activity IRI -> [(skill id, level)] for every evidence activity."""
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
        _in(Statement, "actor_ifi", user_by_actor),
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
    (count >= 0) before it finds the conflict; the constraint refuses a count below zero, which
    would mean a bug. A count that drops to zero is deleted, so the table holds exactly the
    rows a rebuild (which groups the levels: no zero rows) would.
    """
    table = CoverageCount._meta.db_table
    # In key order, so the index is walked in one direction rather than at random.
    increments = sorted((*key, delta) for key, delta in deltas.items() if delta > 0)
    decrements = sorted((*key, delta) for key, delta in deltas.items() if delta < 0)
    upsert = (
        f"INSERT INTO {table} ({COUNT_KEY}, count) {{rows}} "
        f"ON CONFLICT ({COUNT_KEY}) DO UPDATE SET count = {table}.count + excluded.count"
    )
    update = (
        f"WITH d(o, g, p, s, series, level, delta) AS ({{rows}}) "  # noqa: S608
        f"UPDATE {table} SET count = {table}.count + d.delta FROM d "
        f"WHERE {table}.organisation_id = d.o AND {table}.grade_key = d.g "
        f"AND {table}.profession_key = d.p AND {table}.skill_id = d.s "
        f"AND {table}.series = d.series AND {table}.level = d.level"
    )
    emptied = f"DELETE FROM {table} WHERE count = 0 AND ({COUNT_KEY}) IN ({{rows}})"  # noqa: S608
    with connection.cursor() as cursor:
        for sql, rows in ((upsert, increments), (update, decrements)):
            for statement, params, size in _row_batches(sql, rows, COUNT_TYPES):
                cursor.execute(statement, params)
                # sqlite3 reports -1 for a statement that starts with WITH: unknown, not wrong.
                if sql is update and cursor.rowcount not in (-1, size):
                    raise RuntimeError("a coverage count to decrease does not exist")
        keys = [row[:-1] for row in decrements]
        for statement, params, _size in _row_batches(emptied, keys, COUNT_TYPES[:-1]):
            cursor.execute(statement, params)


# The columns that identify a coverage cell (its unique constraint); then the SQL types of a
# cell's key and count, and of a learner level's row, for arrays sent in one parameter.
COUNT_KEY = "organisation_id, grade_key, profession_key, skill_id, series, level"
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
        columns = [array_literal(column) for column in zip(*rows, strict=True)]
        yield sql.format(rows=source), columns, len(rows)
        return
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        values = ", ".join(["(" + ", ".join(["%s"] * len(types)) + ")"] * len(chunk))
        params = [value for row in chunk for value in row]
        yield sql.format(rows=f"VALUES {values}"), params, len(chunk)  # noqa: S608


LEVEL_FIELDS = (
    "user_id",
    "skill_id",
    "series",
    "level",
    "organisation_id",
    "grade_id",
    "profession_id",
)


def _stored_levels(user_ids, only=None) -> dict[tuple, tuple]:
    """The learners' stored levels: (user, skill, series) -> (level, placement).

    With `only` ({series: {(user, skill): level}}), just those keys: new evidence touches a
    few of a learner's skills, and on PostgreSQL one join on the key's index finds them.
    """
    if only is not None and connection.vendor == "postgresql":
        keys = [(u, s, series) for series, levels in only.items() for u, s in levels]
        table = LearnerSkillLevel._meta.db_table
        columns = ", ".join(f"l.{field}" for field in LEVEL_FIELDS)
        sql = (
            f"SELECT {columns} FROM {table} l JOIN ({{rows}}) k(u, s, series) "  # noqa: S608
            "ON l.user_id = k.u AND l.skill_id = k.s AND l.series = k.series"
        )
        rows = []
        with connection.cursor() as cursor:
            for statement, params, _size in _row_batches(sql, keys, LEVEL_TYPES[:3]):
                cursor.execute(statement, params)
                rows.extend(cursor.fetchall())
    else:
        rows = LearnerSkillLevel.objects.filter(
            _in(LearnerSkillLevel, "user_id", user_ids)
        ).values_list(*LEVEL_FIELDS)
    return {
        (user_id, skill_id, series): (level, (organisation_id, grade_id, profession_id))
        for user_id, skill_id, series, level, organisation_id, grade_id, profession_id in rows
    }


def _apply_levels(user_ids, wanted: dict[str, dict], *, complete: bool, placements=None) -> int:
    """Make the learners' stored levels match `wanted` and correct the counts.

    `wanted[series][(user_id, skill_id)] = level`. With `complete`, a stored level missing from
    `wanted` is deleted (a full recompute); without, `wanted` only raises levels (new evidence
    can only add). Either way a learner is (re)counted where their profile places them now.
    The job's lock (the state row) keeps other writers out, so rows are read without locks.
    """
    if placements is None:
        placements = _placements(user_ids)
    existing = _stored_levels(user_ids, None if complete else wanted)
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
                old_level, old_place = old
                level = level if complete else max(level, old_level)
                if old_level == level and old_place == placement:
                    continue
                deltas[_cell(old_place, skill_id, series, old_level)] -= 1
            deltas[_cell(placement, skill_id, series, level)] += 1
            upserts.append((user_id, skill_id, str(series), level, *placement))
    if complete:
        for key, (old_level, old_place) in existing.items():
            if key not in seen:
                deltas[_cell(old_place, key[1], key[2], old_level)] -= 1
                to_delete.append(key)
    upserts.sort(key=lambda row: row[:3])  # key order: (user, skill, series)
    table = LearnerSkillLevel._meta.db_table
    upsert = (
        f"INSERT INTO {table} (user_id, skill_id, series, level, organisation_id, grade_id, "
        f"profession_id) {{rows}} ON CONFLICT (user_id, skill_id, series) DO UPDATE SET "
        f"level = excluded.level, organisation_id = excluded.organisation_id, "
        f"grade_id = excluded.grade_id, profession_id = excluded.profession_id"
    )
    delete = f"DELETE FROM {table} WHERE (user_id, skill_id, series) IN ({{rows}})"  # noqa: S608
    with connection.cursor() as cursor:
        for statement, params, _size in _row_batches(upsert, upserts, LEVEL_TYPES):
            cursor.execute(statement, params)
        for statement, params, _size in _row_batches(delete, to_delete, LEVEL_TYPES[:3]):
            cursor.execute(statement, params)
    _apply_deltas(deltas)
    return len(upserts) + len(to_delete)


def learner_levels_recompute(*, user_ids) -> int:
    """Recompute both series of these learners from all their evidence and correct the counts;
    returns how many learner skill levels changed. Safe to run any number of times.
    """
    user_ids = set(user_ids)
    if not user_ids:
        return 0
    prefix = account_prefix()
    actor_by_user = {
        pk: f"{prefix}{learner_id}"
        for pk, learner_id in User.objects.filter(pk__in=user_ids).values_list("pk", "learner_id")
    }
    wanted = {
        Series.EVIDENCED: _evidenced_levels(actor_by_user, evidence_map()),
        Series.SELF_ASSESSED: _self_assessed_levels(user_ids),
    }
    return _apply_levels(user_ids, wanted, complete=True)


def learner_levels_raise(*, levels: dict[tuple[int, int], int], placements=None) -> int:
    """Fold new evidence in: each (user, skill) goes up to the given level if that is higher.

    Evidence only ever adds, so new statements need no look at a learner's older ones.
    `placements` (user -> where counted) saves reading the profiles again when the caller has
    them; a learner missing from it is not counted.
    """
    if not levels:
        return 0
    user_ids = {user_id for user_id, _skill_id in levels}
    return _apply_levels(
        user_ids, {Series.EVIDENCED: levels}, complete=False, placements=placements
    )
