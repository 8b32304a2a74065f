"""Pseudonymising an agent in the store: the platform's own administrative process.

Statements are immutable to clients (xAPI 1.0.3 Data 2.3.2), but UK GDPR erasure must reach
them. The platform therefore rewrites, under its own authority and outside the xAPI API, every
agent object whose IFI is one of a person's to an opaque pseudonymous agent, in the statement
JSON and in every indexed column and relation row derived from it, and deletes the documents
(state, agent profiles) and attachments kept for those agents. Statement ids, verbs, activities
and results stay, so course analytics keep their counts without knowing who. Callers log
what was done (learners.privacy keeps the erasure record); targets that statements were
forwarded to are told through `hooks.agents_erased`.
"""

import json
import logging

from django.db import transaction

from . import hooks
from .identity import IFI_PROPERTIES, agent_ifi
from .models import (
    RELATED_COLUMNS,
    AgentProfile,
    StateDocument,
    Statement,
    StatementAttachment,
    StatementRelation,
    indexed,
)
from .services import statement_content_hash
from .statement_rows import statement_relations, statement_row

logger = logging.getLogger(__name__)


def _replace_agents(value, ifis: set[str], replacement: dict):
    """A copy of `value` with every agent object of one of `ifis` replaced; and whether any was."""
    if isinstance(value, list):
        changed = False
        items = []
        for item in value:
            new, hit = _replace_agents(item, ifis, replacement)
            items.append(new)
            changed = changed or hit
        return items, changed
    if not isinstance(value, dict):
        return value, False
    if any(key in value for key in IFI_PROPERTIES) and agent_ifi(value) in ifis:
        agent = dict(replacement)
        if value.get("objectType"):
            agent["objectType"] = value["objectType"]
        return agent, True
    changed = False
    out = {}
    for key, item in value.items():
        new, hit = _replace_agents(item, ifis, replacement)
        out[key] = new
        changed = changed or hit
    return out, changed


def statements_mentioning(ifis: set[str]):
    """Primary keys of every statement that names one of the agents anywhere."""
    keys = {indexed(ifi) for ifi in ifis}  # the form the indexed columns hold
    by_relation = StatementRelation.objects.filter(
        kind=StatementRelation.Kind.AGENT, value__in=keys
    ).values_list("statement_id", flat=True)
    found = set(by_relation)
    for column in RELATED_COLUMNS[StatementRelation.Kind.AGENT]:
        found.update(
            Statement.objects.filter(**{f"{column}__in": keys}).values_list("pk", flat=True)
        )
    return found


@transaction.atomic
def agents_pseudonymise(*, ifis: set[str], replacement: dict) -> dict[str, int]:
    """Rewrite every statement naming one of `ifis` to the `replacement` agent; delete the
    documents and attachments of those agents. Re-runnable: a second run finds nothing.
    """
    ifis = {ifi for ifi in ifis if ifi}
    counts = {"statements": 0, "documents": 0, "attachments": 0}
    if not ifis:
        return counts
    pks = statements_mentioning(ifis)
    attachment_hashes = set()
    statement_ids = []
    for statement in Statement.objects.filter(pk__in=pks).order_by("pk"):
        payload, changed = _replace_agents(json.loads(statement.payload), ifis, replacement)
        if not changed:
            continue
        for attachment in payload.get("attachments") or []:
            if isinstance(attachment, dict) and attachment.get("sha2"):
                attachment_hashes.add(attachment["sha2"])
        row = statement_row(payload, str(statement.statement_id), "", statement.stored)
        row.content_hash = statement_content_hash(payload)
        for name in Statement._meta.concrete_fields:
            if not name.primary_key and name.attname not in ("stored", "voided"):
                setattr(statement, name.attname, getattr(row, name.attname))
        statement.save()
        StatementRelation.objects.filter(statement=statement).delete()
        seen = set()

        def add(kind, value, usage, statement=statement, seen=seen):
            value = indexed(value)
            if (kind, value) not in seen:
                seen.add((kind, value))
                StatementRelation.objects.create(
                    statement=statement,
                    kind=kind,
                    value=value,
                    usage=usage,
                    stored=statement.stored,
                )

        statement_relations(payload, add)
        statement_ids.append(str(statement.statement_id))
        counts["statements"] += 1
    counts["documents"] += StateDocument.objects.filter(agent_ifi__in=ifis).delete()[0]
    counts["documents"] += AgentProfile.objects.filter(agent_ifi__in=ifis).delete()[0]
    for attachment in StatementAttachment.objects.filter(sha2__in=attachment_hashes):
        name = attachment.file.name
        storage = attachment.file.storage
        attachment.delete()
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        counts["attachments"] += 1
    if statement_ids:
        hooks.agents_erased(statement_ids)
    return counts


def forwarded_erasure_log(statement_ids: list[str]) -> None:
    """The default erasure listener: tell each forwarding target's operator, through the log,
    how many pseudonymised statements it may hold (ids in the erasure record, never the person).
    """
    from .models import ForwardingTarget

    for target in ForwardingTarget.objects.all():
        logger.warning(
            "erasure: %s statements were pseudonymised here; forwarding target %r (%s) may "
            "hold copies that name the person: ask its operator to erase statements %s",
            len(statement_ids),
            target.name,
            target.endpoint,
            ", ".join(statement_ids[:20]) + (" ..." if len(statement_ids) > 20 else ""),
        )
