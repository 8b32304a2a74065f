"""Who a learner is in xAPI: the one home for going from a user to their actor and IFIs, and
from a statement's actor back to a user. Every reader and writer uses these.

A learner's statements are those whose actor is
- their `account` IFI: the site's base URL plus the opaque `User.learner_id` (what the platform
  writes; never an email), or
- the `mbox` of one of their VERIFIED email addresses (allauth `EmailAddress.verified`), or its
  `mbox_sha1sum` (much third-party content names people that way).
An unverified address never counts: anyone can type one. The email IFIs live in
`LearnerIdentifier` (kept in step by `learners.services.learner_identifiers_sync`), so a batch
of actors maps to learners in two indexed queries, and SQL can join on them.
"""

import hashlib
import uuid

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from learners.lrs.identity import agent_ifi
from learners.models import LearnerIdentifier, User


def account_home_page() -> str:
    return settings.SITE_BASE_URL


def learner_agent(user, *, with_name: bool = False) -> dict:
    """The agent the platform writes for a learner: an `account` IFI, never an email."""
    agent = {
        "objectType": "Agent",
        "account": {"homePage": account_home_page(), "name": str(user.learner_id)},
    }
    name = user.get_full_name() if with_name else ""
    if name:
        agent["name"] = name
    return agent


def account_ifi(user) -> str:
    """The canonical IFI (learners.lrs.identity.agent_ifi) of the learner's account."""
    return f"account:{account_home_page()} {user.learner_id}"


def email_ifis(email: str) -> list[str]:
    """The `mbox` and `mbox_sha1sum` IFIs of an email address (Data 2.4.2.3: the sha1sum is
    of the mailto IRI). Addresses compare case-insensitively, as `agent_ifi` lower-cases mbox.
    """
    mailto = f"mailto:{email.strip().lower()}"
    return [
        agent_ifi({"mbox": mailto}),
        agent_ifi({"mbox_sha1sum": hashlib.sha1(mailto.encode()).hexdigest()}),  # noqa: S324
    ]


def learner_ifis(user) -> frozenset[str]:
    """Every IFI that is this learner's: the account and their verified emails' (one query)."""
    emails = LearnerIdentifier.objects.filter(user=user, active=True).values_list("ifi", flat=True)
    return frozenset([account_ifi(user), *emails])


def actor_is_learner(user, field: str = "actor_ifi", model=None) -> Q:
    """A filter on statements (`model`, by default learners.lrs Statement) whose `field` is one
    of the learner's IFIs, without a query of its own: the email IFIs come from a subquery.

    On PostgreSQL `= ANY(ARRAY(subquery))`: the subquery runs once and the statements are an
    index scan on the actor index (an OR with an IN-subquery would scan the table).
    """
    if model is None:
        from learners.lrs.models import Statement as model
    own = account_ifi(user)
    table = LearnerIdentifier._meta.db_table
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    column = f"{connection.ops.quote_name(model._meta.db_table)}.{column}"
    emails = f"SELECT ifi FROM {table} WHERE user_id = %s AND active"  # noqa: S608
    if connection.vendor == "postgresql":
        sql = f"{column} = ANY(ARRAY({emails} UNION ALL SELECT %s))"
    else:
        sql = f"{column} IN ({emails} UNION ALL SELECT %s)"
    return Q(RawSQL(sql, [user.pk, own], output_field=BooleanField()))  # noqa: S611


def users_for_ifis(ifis) -> dict[str, int]:
    """Actor IFI -> user id for the actors that are learners of this site (two queries at most,
    whatever the number of actors). Other actors are not in the result.
    """
    prefix = f"account:{account_home_page()} "
    by_learner_id, others = {}, []
    for ifi in ifis:
        if not ifi:
            continue
        if ifi.startswith(prefix):
            try:
                by_learner_id[uuid.UUID(ifi[len(prefix) :])] = ifi
            except ValueError:
                continue
        else:
            others.append(ifi)
    found = {}
    if by_learner_id:
        rows = User.objects.filter(learner_id__in=list(by_learner_id)).values_list(
            "learner_id", "pk"
        )
        found.update({by_learner_id[learner_id]: pk for learner_id, pk in rows})
    if others:
        rows = LearnerIdentifier.objects.filter(ifi__in=others, active=True)
        found.update(rows.values_list("ifi", "user_id"))
    return found


def ifis_by_user(user_ids) -> dict[int, set[str]]:
    """User id -> every IFI of theirs, for a batch of learners (two queries)."""
    found = {
        pk: {f"account:{account_home_page()} {learner_id}"}
        for pk, learner_id in User.objects.filter(pk__in=list(user_ids)).values_list(
            "pk", "learner_id"
        )
    }
    rows = LearnerIdentifier.objects.filter(user_id__in=list(found), active=True)
    for user_id, ifi in rows.values_list("user_id", "ifi"):
        found[user_id].add(ifi)
    return found


def actor_users_sql() -> tuple[str, list]:
    """SQL for a relation (ifi, user_id) of every learner IFI, for set-based queries to join a
    statement's actor with; and its parameters.
    """
    users = User._meta.db_table
    identifiers = LearnerIdentifier._meta.db_table
    if connection.vendor == "postgresql":
        account = "%s || CAST(u.learner_id AS text)"
    else:
        # SQLite keeps UUIDs as 32 hex digits; the IFI has the hyphenated form.
        account = (
            "%s || lower(substr(u.learner_id,1,8)||'-'||substr(u.learner_id,9,4)||'-'||"
            "substr(u.learner_id,13,4)||'-'||substr(u.learner_id,17,4)||'-'||"
            "substr(u.learner_id,21))"
        )
    sql = (
        f"SELECT {account} AS ifi, u.id AS user_id FROM {users} u "  # noqa: S608
        f"UNION ALL SELECT i.ifi, i.user_id FROM {identifiers} i WHERE i.active"
    )
    return sql, [f"account:{account_home_page()} "]


def lrs_learner_identity(user) -> tuple[dict, frozenset[str]]:
    """What the LRS asks of a signed-in learner (registered in LearnersConfig.ready): the agent
    it records as the authority of their statements, and the IFIs that are theirs.
    """
    return learner_agent(user), learner_ifis(user)
