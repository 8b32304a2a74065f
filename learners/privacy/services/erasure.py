"""Erasure: close a person's account and remove or pseudonymise everything declared about them.

One transaction, so a run either completes or changes nothing, and a failed run can simply be
started again; a finished erasure is refused, so a second request changes nothing either.
Statements are rewritten to an opaque pseudonymous agent by the LRS's administrative process
(learners.lrs.erasure); every app's `personal_data.erase_personal_data` does its part; the
account row itself is pseudonymised last and kept, so that reviews, team memberships and audit
rows still point at "a former user" rather than disappearing from the record.
"""

import hashlib
import secrets
import uuid

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from learners.lrs.erasure import agents_pseudonymise
from learners.lrs.identity import agent_ifi
from learners.models import User
from learners.privacy.models import ErasureRecord, PersonalDataAccess
from learners.privacy.register import app_registers

from .audit import audit_record

ERASED_EMAIL_DOMAIN = "erased.invalid"


class ErasureError(Exception):
    """An erasure that cannot go ahead (unknown person, already erased); nothing changed."""


def person_ifis(user) -> set[str]:
    """Every IFI that may name the person in statements: their account, and mbox and
    mbox_sha1sum of every address they have had on the account (verified or not: erasure
    reaches further than counting does).
    """
    agent = {"account": {"homePage": settings.SITE_BASE_URL, "name": str(user.learner_id)}}
    ifis = {agent_ifi(agent)}
    emails = {user.email.lower()} | {
        address.lower()
        for address in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    for email in emails:
        mailto = f"mailto:{email}"
        ifis.add(agent_ifi({"mbox": mailto}))
        ifis.add(agent_ifi({"mbox_sha1sum": hashlib.sha1(mailto.encode()).hexdigest()}))  # noqa: S324 - xAPI's IFI
    return ifis


def _pseudonym() -> str:
    return f"former-user-{secrets.token_hex(6)}"


@transaction.atomic
def person_erase(*, user_id: int, requested_by=None, reason: str) -> ErasureRecord:
    """Erase the person with this account id; raise ErasureError (changing nothing) when there
    is no such person or they were erased already.
    """
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise ErasureError("There is no account with that id.")
    if requested_by is not None and requested_by.pk == user.pk:
        requested_by = None  # the record must not point back at the person
    record, _ = ErasureRecord.objects.get_or_create(
        user_id_erased=user.pk,
        defaults={"pseudonym": _pseudonym(), "reason": reason[:200], "requested_by": requested_by},
    )
    if record.status == ErasureRecord.Status.DONE:
        raise ErasureError("This person's data was erased already.")
    new_learner_id = uuid.uuid4()
    replacement = {
        "objectType": "Agent",
        "account": {"homePage": settings.SITE_BASE_URL, "name": str(new_learner_id)},
    }
    counts = {"lrs": agents_pseudonymise(ifis=person_ifis(user), replacement=replacement)}
    for register in app_registers():
        if register.eraser is not None:
            counts[register.app] = register.eraser(user, pseudonym=record.pseudonym)
    _close_account(user, pseudonym=record.pseudonym, learner_id=new_learner_id)
    record.status = ErasureRecord.Status.DONE
    record.counts = counts
    record.runs += 1
    record.finished_at = timezone.now()
    record.save()
    audit_record(
        actor=requested_by,
        subject=user,
        action=PersonalDataAccess.Action.ERASED,
        detail=f"{record.pseudonym}: {reason}",
    )
    return record


def _close_account(user, *, pseudonym: str, learner_id) -> None:
    user.email = f"{pseudonym}@{ERASED_EMAIL_DOMAIN}"
    user.first_name = ""
    user.last_name = ""
    user.learner_id = learner_id
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
