"""The register of personal data: what each app holds about people, why, and for how long.

Each app declares, in a `personal_data` module beside its models, three things as plain data
(so that `courses`, the lowest floor, can declare the Wagtail models it owns without importing
anything from here):

- `PERSONAL_DATA`: a list of dicts, one per model that holds personal data, with `model`
  ("app_label.ModelName"), `fields` (every field that holds or links to personal data),
  `purpose` and `retention` (keys of PURPOSES and RETENTION below) and `erasure` (what erasing a
  person does to their rows: a key of ERASURE).
- `NO_PERSONAL_DATA`: models ("app_label.ModelName") or whole apps ("app_label") that hold none.
- optionally `export_personal_data(user) -> dict` (the app's JSON for a subject access request)
  and `erase_personal_data(user, *, pseudonym) -> dict[str, int]` (counts of what it changed).

`check_register` (a system check, and tests/school/test_privacy_register.py) fails when an
installed model that links to a user or has a field that looks personal is not declared, or
when any model is in no declaration at all. The privacy notice renders PURPOSES and RETENTION
from here, so it cannot drift from what the code declares.
"""

import re
from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import models

# Why the service holds personal data. The privacy notice lists these in this order.
PURPOSES = {
    "account": "To let you sign in and keep your account secure (email, name, password hash, "
    "second factor, single sign-on links, sessions).",
    "learning": "To record your learning and show you your progress, certificates and skills "
    "profile (enrolments, xAPI statements about you, self-assessments).",
    "challenges": "To run innovation challenges: your entries, team membership, uploaded files, "
    "mentor reviews and the decision trail.",
    "reporting": "To give your department's HR leads skills coverage figures in which no "
    "individual can be identified (your skill levels, counted by department, grade and "
    "profession).",
    "editorial": "To run the editorial workflow of course and challenge pages (authors, "
    "revisions, moderation, comments).",
    "security": "To keep the service secure and accountable (audit logs of who read or "
    "exported personal data, access logs of the reporting pages, admin logs).",
    "rights": "To answer your requests under UK GDPR (subject access downloads, erasure records).",
}

# How long each kind of record is kept. Keys of settings.PRIVACY_RETENTION_DAYS give the
# numbers; `text` is what the privacy notice says, with {days} filled in.
RETENTION = {
    "account": "While your account is in use; an account not signed in to for {days} days is "
    "closed and its personal data erased.",
    "learning": "While your account is open; after it is closed, statements kept under a "
    "pseudonym for course analytics are deleted after {days} days.",
    "challenge_files": "Until {days} days after the challenge closes.",
    "forwarding": "Until the statements are delivered to your department's own learning "
    "record store, then a week.",
    "challenges": "For the record of the challenge, with your name replaced by a pseudonym if "
    "your account is erased.",
    "derived": "Recomputed from the learning records at every reporting run; removed when your "
    "account is closed.",
    "audit": "{days} days, then deleted.",
    "sessions": "Until you sign out or the session expires (two weeks at most).",
    "sar_files": "{days} days after the download is ready, then deleted.",
    "editorial": "For the life of the page, with your name replaced by a pseudonym if your "
    "account is erased.",
}

ERASURE = {
    "delete": "deleted",
    "pseudonymise": "kept with the person replaced by a pseudonym",
    "keep": "kept, linked only to the closed, pseudonymised account",
}

# Field names that suggest personal data even without a link to the user table.
PERSONAL_FIELD = re.compile(
    r"(^|_)(email|e_mail|mbox|ifi|actor|agent|recipient|holder_name|first_name|last_name|"
    r"ip_address|session_data|session_key|avatar|uploaded_by)($|_)"
)


@dataclass(frozen=True)
class Declaration:
    model: str
    fields: tuple[str, ...]
    purpose: str
    retention: str
    erasure: str
    app: str  # the app whose personal_data module declared it


@dataclass(frozen=True)
class AppRegister:
    app: str
    module: object

    @property
    def exporter(self):
        return getattr(self.module, "export_personal_data", None)

    @property
    def eraser(self):
        return getattr(self.module, "erase_personal_data", None)


@cache
def app_registers() -> tuple[AppRegister, ...]:
    """Every installed app's `personal_data` module, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.personal_data")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.personal_data":
                raise
            continue
        found.append(AppRegister(app=config.label, module=module))
    return tuple(found)


@cache
def declarations() -> tuple[Declaration, ...]:
    """Every PERSONAL_DATA entry of every app."""
    return tuple(
        Declaration(
            model=entry["model"],
            fields=tuple(entry["fields"]),
            purpose=entry["purpose"],
            retention=entry["retention"],
            erasure=entry["erasure"],
            app=register.app,
        )
        for register in app_registers()
        for entry in getattr(register.module, "PERSONAL_DATA", [])
    )


def _not_personal() -> set[str]:
    names = set()
    for register in app_registers():
        names.update(getattr(register.module, "NO_PERSONAL_DATA", []))
    return names


def retention_days(kind: str) -> int | None:
    """The number of days behind a retention kind, from settings (None: no fixed number)."""
    return settings.PRIVACY_RETENTION_DAYS.get(kind)


def retention_text(kind: str) -> str:
    """The privacy notice's sentence for a retention kind, with its number of days."""
    return RETENTION[kind].format(days=retention_days(kind))


def _user_model_label() -> str:
    return apps.get_model(settings.AUTH_USER_MODEL)._meta.label


def personal_fields(model) -> set[str]:
    """The fields of a model that link to a user or whose name looks personal."""
    user_label = _user_model_label()
    found = set()
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # reverse relations: declared on the model that holds the link
        related = getattr(field, "related_model", None)
        if related is not None and related._meta.label == user_label:
            found.add(field.name)
        elif isinstance(field, models.FileField) or PERSONAL_FIELD.search(field.name):
            found.add(field.name)
    return found


def problems() -> list[str]:
    """What is wrong with the register: undeclared models or fields, unknown keys."""
    errors = []
    declared: dict[str, set[str]] = {}
    for entry in declarations():
        for key, table in (
            ("purpose", PURPOSES),
            ("retention", RETENTION),
            ("erasure", ERASURE),
        ):
            if getattr(entry, key) not in table:
                errors.append(f"{entry.model}: unknown {key} {getattr(entry, key)!r}")
        try:
            model = apps.get_model(entry.model)
        except LookupError:
            errors.append(f"{entry.app} declares {entry.model}, which is not an installed model")
            continue
        names = {field.name for field in model._meta.get_fields()}
        for name in set(entry.fields) - names:
            errors.append(f"{entry.model}: declared field {name!r} does not exist")
        declared.setdefault(entry.model, set()).update(entry.fields)
    not_personal = _not_personal()
    for model in apps.get_models():
        label = model._meta.label
        personal = personal_fields(model)
        if label in declared:
            for name in sorted(personal - declared[label]):
                errors.append(f"{label}.{name} looks personal but is not declared")
        elif personal:
            errors.append(
                f"{label} holds personal data ({', '.join(sorted(personal))}) and is not "
                "declared in any app's personal_data.PERSONAL_DATA"
            )
        elif label not in not_personal and model._meta.app_label not in not_personal:
            errors.append(f"{label} is in no personal_data declaration (personal or not)")
    return errors


def check_register(app_configs=None, **kwargs):
    """System check: every model is declared, and every personal field of it."""
    return [checks.Error(message, id="privacy.E001") for message in problems()]
