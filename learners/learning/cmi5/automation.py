"""The services behind the cmi5 automation API: the learners an outside conformance harness
names by their actor, and launches for them.

A harness actor is an account agent on this site whose name is a UUID; it becomes (or is) a
learner of its own, marked by an address under HARNESS_DOMAIN, never a real person's account.
"""

import uuid

from django.conf import settings
from django.db import transaction

from learners.learning.models import Enrolment
from learners.models import User

from .launch import LaunchError, cmi5_launch
from .models import Cmi5Session

HARNESS_DOMAIN = "cmi5-harness.invalid"


def harness_learner(actor) -> User:
    """The harness's learner for `actor`, created on first use; LaunchError if the actor is not
    an account agent on this site with a UUID name, or names a real person.
    """
    account = actor.get("account") if isinstance(actor, dict) else None
    if not isinstance(account, dict) or account.get("homePage") != settings.SITE_BASE_URL:
        raise LaunchError(
            f"The actor must be an account agent whose homePage is {settings.SITE_BASE_URL}."
        )
    try:
        learner_id = uuid.UUID(str(account.get("name")))
    except ValueError as error:
        raise LaunchError("The actor's account name must be a UUID.") from error
    user = User.objects.filter(learner_id=learner_id).first()
    if user is None:
        user = User(email=f"{learner_id}@{HARNESS_DOMAIN}", learner_id=learner_id)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    elif not user.email.endswith(f"@{HARNESS_DOMAIN}"):
        raise LaunchError("This actor is a person's account, not the harness's.")
    return user


@transaction.atomic
def automation_launch(*, course, position: int, actor, registration=None, launch_mode: str):
    """Launch the AU at `position` (0-based) for the harness's actor; returns (url, session).

    A registration, when given, must be the one an earlier launch of this learner on this
    course created (the platform makes one per enrolment).
    """
    unit = course.cmi5_package.units.filter(position=position).first()
    if unit is None:
        raise LaunchError(f"The course has no AU at index {position}.")
    user = harness_learner(actor)
    if registration is not None:
        enrolment = Enrolment.objects.filter(user=user, course=course).first()
        if enrolment is None or str(enrolment.registration) != str(registration):
            raise LaunchError("This registration is not the actor's registration on the course.")
    url = cmi5_launch(
        user=user,
        unit=unit,
        launch_mode=launch_mode,
        return_url=f"{settings.SITE_BASE_URL}{course.url or '/'}",
    )
    session = Cmi5Session.objects.filter(enrolment__user=user, unit=unit).first()
    return url, session
