"""Voiding (xAPI 1.0.3 Data 2.3.2): who may void what, and marking targets voided.

A caller's right comes from its credentials (`learners.lrs.auth`): none for a learner's session
or launch token, its own statements for an LRS client, any statement for the platform and for
clients an admin granted the `void` scope.
"""

from collections import defaultdict
from enum import StrEnum

from django.conf import settings

from .identity import agent_ifi, platform_authority
from .models import LRSClient, Statement, indexed
from .validation import VOIDED_VERB, StatementValidationError

ERROR_VOID_VOIDING = "Statement {id} is a voiding statement; voiding statements cannot be voided."
ERROR_VOID_NONE = (
    "Statement {index} voids a statement: a learner's session or launch token may not void "
    "statements."
)
ERROR_VOID_OTHERS = (
    "Statement {index} voids statement {id}, which another source stored: only the source "
    "that stored a statement, or a client an admin granted the 'void' scope, may void it."
)
RULE_VOID = "xAPI 1.0.3 Data 2.3.2: a voiding request from a source not authorised to void"


class StatementForbiddenError(Exception):
    """The caller may not store this statement (e.g. a learner writing about someone else): 403.
    `property` and `rule` name what was refused and why.
    """

    def __init__(self, message: str, prop: str = "actor", rule: str = "xAPI 1.0.3 Communication 4"):
        super().__init__(message)
        self.property = prop
        self.rule = rule


class VoidRight(StrEnum):
    """Which statements a caller may void (Data 2.3.2): none (a learner's session or launch
    token), those it stored itself (any client), or any (the platform, a client granted the
    separate `void` scope).
    """

    NONE = "none"
    OWN = "own"
    ANY = "any"


def void_rights_check(prepared, authority_ifi: str | None, right: VoidRight) -> None:
    """Refuse (403) a batch that voids what its caller may not void, before anything is
    stored. A target not stored yet is accepted (Data 2.3.2: the LRS should not reject a
    voiding statement for a missing target); `voiding_apply` checks it when it arrives.
    """
    voiding = [
        (index, statement["object"]["id"].lower())
        for index, (_, _, statement) in enumerate(prepared)
        if statement["verb"]["id"] == VOIDED_VERB
    ]
    if not voiding or right == VoidRight.ANY:
        return
    if right != VoidRight.OWN:
        raise StatementForbiddenError(
            ERROR_VOID_NONE.format(index=voiding[0][0]), "verb.id", RULE_VOID
        )
    stored_by = {
        str(statement_id): source
        for statement_id, source in Statement.objects.filter(
            statement_id__any=[target for _, target in voiding]
        ).values_list("statement_id", "authority_ifi")
    }
    for index, target in voiding:
        if target in stored_by and stored_by[target] != indexed(authority_ifi):
            raise StatementForbiddenError(
                ERROR_VOID_OTHERS.format(index=index, id=target), "object.id", RULE_VOID
            )


def _void_any_authorities() -> set[str]:
    """The authorities that may void any statement: the platform and clients with `void`."""
    found = {indexed(agent_ifi(platform_authority()))}
    for client in LRSClient.objects.filter(active=True):
        if client.may_void_any:
            found.add(indexed(agent_ifi(client.authority_agent(settings.SITE_BASE_URL))))
    return found


def voiding_apply(rows: list[Statement]) -> None:
    """Data 2.3.2: a voiding statement voids its target, which must not itself be voiding; a
    statement that arrives after the statement voiding it is stored as voided.
    """
    targets = {str(row.object_statement_id) for row in rows if row.is_voiding}
    new_ids = {str(row.statement_id) for row in rows}
    if targets:
        batch_voiding = {str(row.statement_id) for row in rows if row.is_voiding}
        bad = targets & batch_voiding
        if not bad:
            bad = {
                str(value)
                for value in Statement.objects.filter(
                    statement_id__any=list(targets - new_ids), is_voiding=True
                ).values_list("statement_id", flat=True)
            }
        if bad:
            raise StatementValidationError(
                ERROR_VOID_VOIDING.format(id=sorted(bad)[0]), "object.id", "xAPI 1.0.3 Data 2.3.2"
            )
    # A statement voided before it arrived: only by a voiding statement its own source, or a
    # source that may void anything, sent (the same rule as void_rights_check).
    voiders = defaultdict(set)
    for target, source in Statement.objects.filter(
        object_statement_id__any=list(new_ids), is_voiding=True
    ).values_list("object_statement_id", "authority_ifi"):
        voiders[str(target)].add(source)
    void_any = _void_any_authorities() if voiders else set()
    source_of = {str(row.statement_id): row.authority_ifi for row in rows}
    voided_now = {
        target
        for target, sources in voiders.items()
        if sources & void_any or source_of.get(target) in sources
    }
    voided_now |= targets & new_ids
    late = [row.pk for row in rows if str(row.statement_id) in voided_now and not row.is_voiding]
    if late:
        Statement.objects.filter(pk__in=late).update(voided=True)
    old_targets = targets - new_ids
    if old_targets:
        Statement.objects.filter(statement_id__any=list(old_targets), is_voiding=False).update(
            voided=True
        )
