"""LRS storage. Each module defines `__all__`; this package re-exports them."""

from .clients import *  # noqa: F403 - statements API credentials
from .documents import *  # noqa: F403 - state, activity and agent profile documents
from .forwarding import *  # noqa: F403 - forwarding targets and the outbox
from .statements import *  # noqa: F403 - statements and their related activities/agents
