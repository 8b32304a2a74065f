"""How a statement is stored: its row of indexed columns and its relation rows, and the bulk
inserts of both (COPY on PostgreSQL). `learners.lrs.services.statements_store` and erasure
(which rewrites rows) build rows here.
"""

from django.db import connection
from django.db.models.base import ModelState

from .comparison import as_list
from .identity import agent_ifi, group_member_ifis, is_group
from .models import Statement, StatementRelation, indexed
from .validation import VOIDED_VERB, parse_timestamp
from .validation.jsontext import dumps


def _agent_relations(value, usage: str, add) -> None:
    if type(value) is not dict:
        return
    ifi = agent_ifi(value)
    if ifi:
        add("agent", ifi, usage)
    if is_group(value):
        for member in group_member_ifis(value):
            add("agent", member, f"{usage}.member")


def _top_level_agent_relations(value, usage: str, add) -> None:
    """A Group's members: the Group itself is in an indexed column of the statement."""
    if type(value) is dict and is_group(value):
        for member in group_member_ifis(value):
            add("agent", member, f"{usage}.member")


def statement_relations(statement: dict, add, prefix: str = "") -> None:
    """The activities and agents the statement mentions (Communication 2.1.3 related_*) beyond
    its own actor and object, which the statement's indexed columns already hold (see
    `selectors.RELATED_COLUMNS`): context activities, authority, instructor, team, Group
    members, and everything in a SubStatement.
    """
    target = statement.get("object") or {}
    kind = target.get("objectType", "Activity")
    if prefix:
        _agent_relations(statement.get("actor"), f"{prefix}actor", add)
        if kind == "Activity":
            add("activity", target["id"], f"{prefix}object")
        elif kind in ("Agent", "Group"):
            _agent_relations(target, f"{prefix}object", add)
    else:
        _top_level_agent_relations(statement.get("actor"), "actor", add)
        if kind in ("Agent", "Group"):
            _top_level_agent_relations(target, "object", add)
        elif kind == "SubStatement":
            statement_relations(target, add, "sub.")
    context = statement.get("context")
    if context:
        for key, items in (context.get("contextActivities") or {}).items():
            for item in as_list(items):
                add("activity", item["id"], f"{prefix}{key}")
        _agent_relations(context.get("instructor"), f"{prefix}instructor", add)
        _agent_relations(context.get("team"), f"{prefix}team", add)
    if not prefix:
        _agent_relations(statement.get("authority"), "authority", add)


def _instance(model, **values):
    """A model instance built without Model.__init__.

    __init__ sends pre_init and post_init, and with the many receivers Wagtail and friends
    connect, those two signals cost more than everything else per statement. The values here
    are complete and already of the right Python types; the instance is unsaved, as one from
    __init__ would be.
    """
    defaults = _DEFAULTS.get(model)
    if defaults is None:
        defaults = _DEFAULTS[model] = {
            field.attname: field.get_default() for field in model._meta.concrete_fields
        }
    obj = model.__new__(model)
    obj._state = ModelState()
    obj.__dict__.update(defaults)
    obj.__dict__.update(values)
    return obj


_DEFAULTS: dict = {}


def statement_row(statement: dict, statement_id: str, content_hash: str, stored) -> Statement:
    target = statement["object"]
    kind = target.get("objectType", "Activity")
    result = statement.get("result") or {}
    context = statement.get("context") or {}
    score = result.get("score") or {}
    is_voiding = statement["verb"]["id"] == VOIDED_VERB
    return _instance(
        Statement,
        statement_id=statement_id,
        payload=dumps(statement),
        content_hash=content_hash,
        actor_ifi=indexed(agent_ifi(statement["actor"])),
        object_agent_ifi=indexed(agent_ifi(target)) if kind in ("Agent", "Group") else None,
        verb_id=indexed(statement["verb"]["id"]),
        activity_id=indexed(target["id"]) if kind == "Activity" else None,
        object_statement_id=target["id"].lower() if kind == "StatementRef" else None,
        registration=context.get("registration"),
        timestamp=parse_timestamp(statement["timestamp"]),
        stored=stored,
        is_voiding=is_voiding,
        result_success=result.get("success"),
        result_completion=result.get("completion"),
        result_score_scaled=score.get("scaled"),
        authority_ifi=indexed(agent_ifi(statement.get("authority"))),
        has_attachments=bool(statement.get("attachments")),
    )


STATEMENT_COLUMNS = [
    field.attname for field in Statement._meta.concrete_fields if not field.primary_key
]
RELATION_COLUMNS = ["statement_id", "kind", "value", "usage", "stored"]


def relations_insert(relations: list[tuple]) -> None:
    """Insert (statement pk, kind, value, usage, stored) rows; COPY on PostgreSQL."""
    if not relations:
        return
    if connection.vendor != "postgresql":
        StatementRelation.objects.bulk_create(
            StatementRelation(**dict(zip(RELATION_COLUMNS, values, strict=True)))
            for values in relations
        )
        return
    table = connection.ops.quote_name(StatementRelation._meta.db_table)
    names = ", ".join(connection.ops.quote_name(name) for name in RELATION_COLUMNS)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for values in relations:
                copy.write_row(values)


def _insert_order(obj) -> str:
    return str(obj.statement_id)


def bulk_insert(model, columns: list[str], objects: list) -> None:
    """Insert the objects and set their primary keys.

    On PostgreSQL through COPY, with the keys taken from the sequence first: Django's
    bulk_create binds every value client-side and costs several times more than the insert
    itself at thousands of statements a second. Elsewhere, bulk_create.
    """
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects)
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk
        names = ", ".join(connection.ops.quote_name(name) for name in ["id", *columns])
        sql = f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN"
        # COPY bypasses Django's cursor wrapper: map driver errors (a unique violation when
        # another transaction stored the same id) to Django's IntegrityError ourselves.
        # Keys follow the batch order; rows go in sorted by key so that two transactions
        # inserting overlapping batches wait on the unique index in the same order rather
        # than deadlock.
        ordered = sorted(objects, key=_insert_order) if model is Statement else objects
        with connection.wrap_database_errors, cursor.copy(sql) as copy:
            for obj in ordered:
                copy.write_row([obj.pk, *(getattr(obj, name) for name in columns)])
