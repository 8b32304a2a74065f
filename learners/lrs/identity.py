"""Agent and Group identity: the canonical Inverse Functional Identifier (IFI) strings.

xAPI 1.0.3 Data 2.4.2.3: an Agent (or Identified Group) is identified by exactly one of
`mbox`, `mbox_sha1sum`, `openid` or `account`. Two agents are the same when their IFIs are
equal; we turn each IFI into one string so that equality is a string comparison and can be
indexed. IRLs cannot contain a space, so a space separates an account's home page and name.
"""

from django.conf import settings

IFI_PROPERTIES = ("mbox", "mbox_sha1sum", "openid", "account")


def platform_authority() -> dict:
    """The authority of statements the platform stores itself (Data 2.4.9)."""
    return {
        "objectType": "Agent",
        "name": "Public School of Technology",
        "account": {"homePage": settings.SITE_BASE_URL, "name": "platform"},
    }


def agent_ifi(agent: dict) -> str | None:
    """The canonical IFI string of an Agent or Identified Group; None for an anonymous Group.

    mbox is compared case-insensitively (email addresses are, in practice) and mbox_sha1sum is
    hex, so both are lower-cased; openid and account are compared exactly.
    """
    if not isinstance(agent, dict):
        return None
    if "mbox" in agent:
        return f"mbox:{str(agent['mbox']).lower()}"
    if "mbox_sha1sum" in agent:
        return f"mbox_sha1sum:{str(agent['mbox_sha1sum']).lower()}"
    if "openid" in agent:
        return f"openid:{agent['openid']}"
    account = agent.get("account")
    if isinstance(account, dict):
        return f"account:{account.get('homePage')} {account.get('name')}"
    return None


def is_group(agent: dict) -> bool:
    return isinstance(agent, dict) and agent.get("objectType") == "Group"


def group_member_ifis(group: dict) -> list[str]:
    """The IFIs of a Group's members (members have no nested groups; Data 2.4.2.2)."""
    members = group.get("member") or []
    return [ifi for ifi in (agent_ifi(m) for m in members) if ifi]
