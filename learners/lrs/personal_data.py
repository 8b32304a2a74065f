"""Personal data in the Learning Record Store (see learners.privacy.register for the format).

The LRS knows agents, not users: exporting a person's statements and pseudonymising them is
done by learners.privacy, which maps the person to their IFIs and calls learners.lrs.erasure.
"""

PERSONAL_DATA = [
    {
        "model": "lrs.Statement",
        "fields": ["payload", "actor_ifi", "object_agent_ifi", "authority_ifi"],
        "purpose": "learning",
        "retention": "learning",
        "erasure": "pseudonymise",
    },
    {
        "model": "lrs.StatementRelation",
        "fields": ["value"],
        "purpose": "learning",
        "retention": "learning",
        "erasure": "pseudonymise",
    },
    {
        "model": "lrs.StatementAttachment",
        "fields": ["file"],
        "purpose": "learning",
        "retention": "learning",
        "erasure": "delete",
    },
    {
        # Statement ids (and the target's last error) until delivered, then a few days more.
        "model": "lrs.OutboxBatch",
        "fields": ["statement_ids", "last_error"],
        "purpose": "learning",
        "retention": "forwarding",
        "erasure": "keep",
    },
    {
        "model": "lrs.StateDocument",
        "fields": ["agent_ifi", "content"],
        "purpose": "learning",
        "retention": "learning",
        "erasure": "delete",
    },
    {
        "model": "lrs.AgentProfile",
        "fields": ["agent_ifi", "content"],
        "purpose": "learning",
        "retention": "learning",
        "erasure": "delete",
    },
]

NO_PERSONAL_DATA = [
    # Clients and forwarding targets are systems, not people.
    "lrs.LRSClient",
    "lrs.ForwardingTarget",
    "lrs.Activity",
    "lrs.ActivityProfile",
]
