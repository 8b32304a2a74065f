"""Names of documents (one) and scopes (the set a multiple-document GET or DELETE works on).

Each kind of document is addressed by different parameters (Communication 2.3, 2.6, 2.7). A ref
knows its model, its lookup keys and the fields a new row gets, so services and selectors treat
the three resources alike.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass

from learners.lrs.models import ActivityProfile, AgentProfile, StateDocument


def digest(*parts: object) -> str:
    """A fixed-length lookup key for unbounded strings (IRIs, IFIs, ids)."""
    encoded = json.dumps([str(part) if part is not None else None for part in parts])
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StateRef:
    """One State Resource document (Communication 2.3.s3)."""

    activity_id: str
    agent_ifi: str
    state_id: str
    registration: uuid.UUID | None = None

    model = StateDocument
    # Communication 3.1.s3: the State Resource permits writes without concurrency headers.
    requires_precondition = False

    @property
    def doc_key(self) -> str:
        return digest("state", self.activity_id, self.agent_ifi, self.registration, self.state_id)

    @property
    def scope_key(self) -> str:
        return StateScope(self.activity_id, self.agent_ifi).scope_key

    def fields(self) -> dict:
        return {
            "activity_id": self.activity_id,
            "agent_ifi": self.agent_ifi,
            "registration": self.registration,
            "state_id": self.state_id,
        }


@dataclass(frozen=True)
class ActivityProfileRef:
    """One Activity Profile Resource document (Communication 2.7.s3)."""

    activity_id: str
    profile_id: str

    model = ActivityProfile
    # Communication 3.1.s3.b1: a PUT MUST carry If-Match or If-None-Match.
    requires_precondition = True

    @property
    def doc_key(self) -> str:
        return digest("activity-profile", self.activity_id, self.profile_id)

    @property
    def scope_key(self) -> str:
        return ActivityProfileScope(self.activity_id).scope_key

    def fields(self) -> dict:
        return {"activity_id": self.activity_id, "profile_id": self.profile_id}


@dataclass(frozen=True)
class AgentProfileRef:
    """One Agent Profile Resource document (Communication 2.6.s3)."""

    agent_ifi: str
    profile_id: str

    model = AgentProfile
    # Communication 3.1.s3.b1: a PUT MUST carry If-Match or If-None-Match.
    requires_precondition = True

    @property
    def doc_key(self) -> str:
        return digest("agent-profile", self.agent_ifi, self.profile_id)

    @property
    def scope_key(self) -> str:
        return AgentProfileScope(self.agent_ifi).scope_key

    def fields(self) -> dict:
        return {"agent_ifi": self.agent_ifi, "profile_id": self.profile_id}


@dataclass(frozen=True)
class StateScope:
    """The states of an activity and agent, of one registration when given (2.3.s4, 2.3.s5)."""

    activity_id: str
    agent_ifi: str
    registration: uuid.UUID | None = None

    model = StateDocument
    id_field = "state_id"

    @property
    def scope_key(self) -> str:
        return digest("state", self.activity_id, self.agent_ifi)

    def filters(self) -> dict:
        # Hash collisions are out of reach, but the exact columns keep the rule visible.
        found = {
            "scope_key": self.scope_key,
            "activity_id": self.activity_id,
            "agent_ifi": self.agent_ifi,
        }
        if self.registration is not None:
            found["registration"] = self.registration
        return found


@dataclass(frozen=True)
class ActivityProfileScope:
    """The profile documents of an activity (Communication 2.7.s4)."""

    activity_id: str

    model = ActivityProfile
    id_field = "profile_id"

    @property
    def scope_key(self) -> str:
        return digest("activity-profile", self.activity_id)

    def filters(self) -> dict:
        return {"scope_key": self.scope_key, "activity_id": self.activity_id}


@dataclass(frozen=True)
class AgentProfileScope:
    """The profile documents of an agent (Communication 2.6.s4)."""

    agent_ifi: str

    model = AgentProfile
    id_field = "profile_id"

    @property
    def scope_key(self) -> str:
        return digest("agent-profile", self.agent_ifi)

    def filters(self) -> dict:
        return {"scope_key": self.scope_key, "agent_ifi": self.agent_ifi}


DocumentRef = StateRef | ActivityProfileRef | AgentProfileRef
DocumentScope = StateScope | ActivityProfileScope | AgentProfileScope
