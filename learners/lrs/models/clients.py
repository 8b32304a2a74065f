"""Credentials for the xAPI endpoints: one LRS client per tool or piece of content."""

import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.db import models

__all__ = ["LRSClient", "Scope"]


class Scope(models.TextChoices):
    """The xAPI 1.0.3 OAuth scopes (Communication 4.2), used here for Basic credentials too."""

    STATEMENTS_WRITE = "statements/write", "Write statements"
    STATEMENTS_READ_MINE = "statements/read/mine", "Read statements it wrote"
    STATEMENTS_READ = "statements/read", "Read all statements"
    STATE = "state", "Read and write state"
    DEFINE = "define", "Define activities and actors"
    PROFILE = "profile", "Read and write activity and agent profiles"
    ALL_READ = "all/read", "Read everything"
    ALL = "all", "Everything"
    # Not xAPI: the cmi5 automation API for a conformance harness (granted by an admin only;
    # "all" does not include it).
    CMI5_AUTOMATION = "cmi5/automation", "Drive the cmi5 LMS (conformance harness)"


def generate_key() -> str:
    return secrets.token_hex(10)


class LRSClient(models.Model):
    """HTTP Basic credentials (key + hashed secret) with the scopes they grant."""

    name = models.CharField(max_length=200, unique=True)
    key = models.CharField(max_length=64, unique=True, default=generate_key, editable=False)
    secret_hash = models.CharField(max_length=256, editable=False)
    scopes = models.JSONField(
        default=list, help_text="Any of: " + ", ".join(s.value for s in Scope)
    )
    # The agent the LRS records as `authority` on statements this client writes.
    authority = models.JSONField(
        null=True, blank=True, help_text="Agent JSON; by default an account agent for the key."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "LRS client"

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        unknown = set(self.scopes or []) - set(Scope.values)
        if unknown:
            raise ValidationError({"scopes": f"Unknown scopes: {', '.join(sorted(unknown))}"})

    def set_secret(self, raw: str) -> None:
        self.secret_hash = make_password(raw)

    def check_secret(self, raw: str) -> bool:
        return check_password(raw, self.secret_hash)

    def authority_agent(self, base_url: str) -> dict:
        """The authority agent for statements this client stores (Data 2.4.9)."""
        if self.authority:
            return self.authority
        return {
            "objectType": "Agent",
            "name": self.name,
            "account": {"homePage": f"{base_url}/xapi/clients", "name": self.key},
        }
