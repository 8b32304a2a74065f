"""Reads of the Learning Record Store, for the statements endpoint and for other apps.

Every query orders by (stored, id) and pages by keyset on those two columns, so a page costs
one index range scan however deep it is, and statements stored while a client pages do not
shift the pages it has not seen yet.
"""

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet

from .models import RELATED_COLUMNS, Statement, StatementAttachment, StatementRelation, indexed

# A StatementRef target list larger than this is cut: the filter would stop being selective.
MAX_REFERENCED_TARGETS = 1000


@dataclass
class StatementFilters:
    """The filters of GET /statements (xAPI 1.0.3 Communication 2.1.3), already parsed."""

    agent_ifi: str | None = None
    verb_id: str | None = None
    activity_id: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: datetime | None = None
    until: datetime | None = None
    ascending: bool = False
    # Access limits from the credentials, not from the query.
    actor_restriction: frozenset[str] | None = None
    authority_restriction: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def has_object_filters(self) -> bool:
        """Filters that a statement targeting a matching statement also meets (2.1.3)."""
        return any([self.agent_ifi, self.verb_id, self.activity_id, self.registration])


class StatementRow(NamedTuple):
    """What a page of GET /statements needs of a statement, read as plain values: building
    a model instance per row costs more than the query at hundreds of rows a page.
    """

    pk: int
    statement_id: uuid.UUID
    stored: datetime
    payload: str
    has_attachments: bool

    def exact_json(self) -> dict:
        """The statement exactly as stored."""
        return json.loads(self.payload)


ROW_FIELDS = StatementRow._fields


def _rows(queryset: QuerySet, limit: int | None = None) -> list[StatementRow]:
    values = queryset.values_list(*ROW_FIELDS)
    if limit is not None:
        values = values[:limit]
    return [StatementRow(*row) for row in values]


def _rows_by_pk(ids: list[int]) -> list[StatementRow]:
    """The rows of these primary keys, in the order given."""
    found = {row.pk: row for row in _rows(Statement.objects.filter(pk__in=ids).order_by())}
    return [found[pk] for pk in ids if pk in found]


def statement_get(*, statement_id: str, voided: bool) -> Statement | None:
    """One statement by id: voided ones only by voidedStatementId (Data 2.3.2)."""
    return Statement.objects.filter(statement_id=statement_id, voided=voided).first()


def _related(kind: str, value: str, prefix: str = "") -> Q:
    """The statement names `value` anywhere: in its own columns or in a relation row."""
    key = indexed(value)
    relation = Exists(
        StatementRelation.objects.filter(
            statement=OuterRef("statement_id" if prefix else "pk"), kind=kind, value=key
        )
    )
    condition = Q(relation)
    for column in RELATED_COLUMNS[kind]:
        condition |= Q(**{f"{prefix}{column}": key})
    return condition


def _object_filters(filters: StatementFilters, *, prefix: str = "", skip: str = "") -> Q:
    """The agent, verb, activity and registration filters as one condition on Statement.

    `prefix` is "statement__" when the query runs on StatementRelation; `skip` leaves out
    the related filter the relation index already applies.
    """
    condition = Q()
    if filters.agent_ifi and skip != "agent":
        if filters.related_agents:
            condition &= _related("agent", filters.agent_ifi, prefix)
        else:
            ifi = indexed(filters.agent_ifi)
            condition &= Q(**{f"{prefix}actor_ifi": ifi}) | Q(**{f"{prefix}object_agent_ifi": ifi})
    if filters.verb_id:
        condition &= Q(**{f"{prefix}verb_id": indexed(filters.verb_id)})
    if filters.activity_id and skip != "activity":
        if filters.related_activities:
            condition &= _related("activity", filters.activity_id, prefix)
        else:
            condition &= Q(**{f"{prefix}activity_id": indexed(filters.activity_id)})
    if filters.registration:
        condition &= Q(**{f"{prefix}registration": filters.registration})
    return condition


def _access(filters: StatementFilters, prefix: str = "") -> Q:
    condition = Q(**{f"{prefix}voided": False})
    if filters.actor_restriction:
        own = sorted({indexed(ifi) for ifi in filters.actor_restriction})
        condition &= Q(**{f"{prefix}actor_ifi__in": own})
    if filters.authority_restriction:
        condition &= Q(**{f"{prefix}authority_ifi": indexed(filters.authority_restriction)})
    return condition


def _time(filters: StatementFilters, prefix: str = "") -> Q:
    condition = Q()
    if filters.since:
        condition &= Q(**{f"{prefix}stored__gt": filters.since})
    if filters.until:
        condition &= Q(**{f"{prefix}stored__lte": filters.until})
    return condition


def _after(cursor: tuple[datetime, int] | None, ascending: bool, stored: str, pk: str) -> Q:
    if cursor is None:
        return Q()
    at, last = cursor
    if ascending:
        return Q(**{f"{stored}__gte": at}) & (Q(**{f"{stored}__gt": at}) | Q(**{f"{pk}__gt": last}))
    return Q(**{f"{stored}__lte": at}) & (Q(**{f"{stored}__lt": at}) | Q(**{f"{pk}__lt": last}))


def _referenced_targets(filters: StatementFilters) -> list:
    """Ids of statements that match the filters and are the target of a StatementRef.

    Communication 2.1.3: a statement whose object is a StatementRef meets the agent, verb,
    activity and registration filters when its target does. StatementRefs are few (mostly
    voiding statements), so their targets are listed first through a partial index and
    matched against the filters by id; the main query then adds them by id.
    """
    if not filters.has_object_filters:
        return []
    referenced = list(
        Statement.objects.filter(object_statement_id__isnull=False)
        .values_list("object_statement_id", flat=True)
        .order_by()
        .distinct()[: MAX_REFERENCED_TARGETS + 1]
    )
    if not referenced:
        return []
    if len(referenced) > MAX_REFERENCED_TARGETS:
        referenced = Statement.objects.filter(object_statement_id__isnull=False).values(
            "object_statement_id"
        )
    return list(
        Statement.objects.filter(_object_filters(filters), statement_id__in=referenced)
        .values_list("statement_id", flat=True)
        .order_by()[:MAX_REFERENCED_TARGETS]
    )


def statements_page(
    *, filters: StatementFilters, limit: int, cursor: tuple[datetime, int] | None = None
) -> tuple[list[StatementRow], tuple[datetime, int] | None]:
    """One page of statements and the cursor of the next page (None when this is the last).

    Each shape of query walks indexes in (stored, id) order and stops after `limit` rows: an
    agent query the actor and object-agent indexes, each cut at `limit` before the two are
    merged; related_* queries those of the statement's own columns (RELATED_COLUMNS) and
    StatementRelation's (kind, value, stored, statement) index, merged the same way; the others
    one of Statement's (column, stored, id) indexes. Rows come back as StatementRow values, not
    model instances.
    """
    targets = _referenced_targets(filters)
    asc = filters.ascending
    if not targets and filters.related_activities and filters.activity_id:
        rows = _rows_by_pk(_related_keys(filters, "activity", filters.activity_id, limit, cursor))
    elif not targets and filters.related_agents and filters.agent_ifi:
        rows = _rows_by_pk(_related_keys(filters, "agent", filters.agent_ifi, limit, cursor))
    else:
        base = _access(filters) & _time(filters) & _after(cursor, asc, "stored", "id")
        if filters.agent_ifi and not filters.related_agents and not targets:
            # Ordered, limited index scans merged, rather than an OR the planner might answer
            # by walking the whole stored index.
            others = base & _object_filters(filters, skip="agent")
            key = indexed(filters.agent_ifi)
            scans = [
                _column_scan(others, column, key, asc, limit)
                for column in RELATED_COLUMNS[StatementRelation.Kind.AGENT]
            ]
            rows = _rows_by_pk(_merged(scans, asc, limit))
        else:
            condition = _object_filters(filters)
            if targets:
                condition = condition | Q(object_statement_id__in=targets)
            condition = base & condition
            order = ("stored", "id") if asc else ("-stored", "-id")
            rows = _rows(Statement.objects.filter(condition).order_by(*order), limit + 1)
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        return rows, (last.stored, last.pk)
    return rows, None


def _column_scan(condition: Q, column: str, key: str, asc: bool, limit: int) -> list:
    """(stored, pk) of the first limit + 1 statements with `column` = key, in page order."""
    order = ("stored", "id") if asc else ("-stored", "-id")
    return list(
        Statement.objects.filter(condition, **{column: key})
        .order_by(*order)
        .values_list("stored", "pk")[: limit + 1]
    )


def _merged(scans: list[list], asc: bool, limit: int) -> list[int]:
    """The primary keys of the first limit + 1 statements across ordered scans, once each."""
    keys = set()
    for scan in scans:
        keys.update(scan)
    return [pk for _, pk in sorted(keys, reverse=not asc)[: limit + 1]]


def _related_keys(filters, kind: str, value: str, limit: int, cursor) -> list[int]:
    """A related_* page: the statement's own columns and its relation rows, merged."""
    asc = filters.ascending
    key = indexed(value)
    others = (
        _access(filters)
        & _time(filters)
        & _after(cursor, asc, "stored", "id")
        & _object_filters(filters, skip=kind)
    )
    scans = [_column_scan(others, column, key, asc, limit) for column in RELATED_COLUMNS[kind]]
    prefix = "statement__"
    relation_order = ("stored", "statement_id") if asc else ("-stored", "-statement_id")
    scans.append(
        StatementRelation.objects.filter(
            _access(filters, prefix),
            _time(filters),
            _after(cursor, asc, "stored", "statement_id"),
            _object_filters(filters, prefix=prefix, skip=kind),
            kind=kind,
            value=key,
        )
        .order_by(*relation_order)
        .values_list("stored", "statement_id")[: limit + 1]
    )
    return _merged(scans, asc, limit)


def attachments_for(statements: list[Statement | StatementRow]) -> list[StatementAttachment]:
    """The stored attachment contents the statements refer to, once each."""
    wanted = []
    for statement in statements:
        if statement.has_attachments:
            for item in statement.exact_json().get("attachments") or []:
                if item.get("sha2") and item["sha2"] not in wanted:
                    wanted.append(item["sha2"].lower())
    if not wanted:
        return []
    found = {row.sha2: row for row in StatementAttachment.objects.filter(sha2__in=wanted)}
    return [found[sha2] for sha2 in wanted if sha2 in found]


def statements_about_activity(*, activity_id: str, related: bool = True) -> QuerySet:
    """Statements about an activity: as their object, or (related) anywhere in them, such as a
    course named as the parent of its lessons' statements. Not voided; newest first.
    """
    if related:
        condition = _related(StatementRelation.Kind.ACTIVITY, activity_id)
    else:
        condition = Q(activity_id=indexed(activity_id))
    return Statement.objects.filter(condition, voided=False).order_by("-stored", "-id")


def outbox_backlog() -> dict:
    """What forwarding still owes: when the oldest row still to send was stored (parked rows
    aside), and how many rows are parked as failed. For /healthz and monitoring.
    """
    from .models import OutboxBatch

    pending = OutboxBatch.objects.filter(delivered__isnull=True)
    totals = pending.aggregate(
        oldest=Min("created", filter=Q(failed__isnull=True)),
        parked=Count("pk", filter=Q(failed__isnull=False)),
    )
    return {"oldest_pending": totals["oldest"], "parked": totals["parked"]}
