"""moveOn and satisfaction (cmi5 section 10): which AUs, blocks and the course a registration
has satisfied, decided in the same transaction as the statement that decides it.

A block is satisfied when everything in it is; the course when everything is. Each is announced
once per registration with a `satisfied` statement (innermost block first, the course last),
and a satisfied course is the platform's own course completion: its `completed` statement (the
skills evidence) and the certificate.
"""

from django.db import transaction
from django.utils import timezone

from courses.models import MoveOn
from learners.lrs.services import statements_store

from . import statements as build
from .models import Cmi5Satisfied, Cmi5UnitStatus


def unit_satisfied(unit, status: Cmi5UnitStatus | None) -> bool:
    """Whether the AU's moveOn criterion is met (or it was waived)."""
    if unit.move_on == MoveOn.NOT_APPLICABLE:
        return True
    if status is None:
        return False
    if status.waived:
        return True
    return {
        MoveOn.COMPLETED: status.completed,
        MoveOn.PASSED: status.passed,
        MoveOn.COMPLETED_AND_PASSED: status.completed and status.passed,
        MoveOn.COMPLETED_OR_PASSED: status.completed or status.passed,
    }[unit.move_on]


def _newly_satisfied(children: list, done_units: set[str], already: set[str], found: list) -> bool:
    """Walk the structure depth first; collect blocks that are satisfied and not yet announced,
    innermost first. Returns whether everything in `children` is satisfied.
    """
    everything = True
    for child in children:
        if "au" in child:
            satisfied = child["au"] in done_units
        else:
            satisfied = _newly_satisfied(child["children"], done_units, already, found)
            if satisfied and child["id"] not in already:
                found.append(child["id"])
        everything = everything and satisfied
    return everything


@transaction.atomic
def satisfaction_update(*, enrolment, session_id: str | None = None) -> list[str]:
    """Announce what the registration now satisfies; returns the ids of the statements stored.

    Safe to call any number of times: each block and the course is announced at most once.
    """
    from learners.learning.models import Enrolment

    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()  # one decider at once
    package = enrolment.course.cmi5_package
    units = list(package.units.all())
    statuses = {s.unit_id: s for s in Cmi5UnitStatus.objects.filter(enrolment=enrolment)}
    done = {unit.publisher_id for unit in units if unit_satisfied(unit, statuses.get(unit.pk))}
    already = set(
        Cmi5Satisfied.objects.filter(enrolment=enrolment).values_list("block_id", flat=True)
    )
    blocks: list[str] = []
    course_done = _newly_satisfied(package.structure.get("children", []), done, already, blocks)
    statements = [
        build.satisfied_block(enrolment=enrolment, block_id=block_id, session_id=session_id)
        for block_id in blocks
    ]
    Cmi5Satisfied.objects.bulk_create(
        Cmi5Satisfied(enrolment=enrolment, block_id=block_id) for block_id in blocks
    )
    now = timezone.now()
    for unit in units:
        status = statuses.get(unit.pk)
        if unit.publisher_id in done and status is not None and status.satisfied_at is None:
            Cmi5UnitStatus.objects.filter(pk=status.pk).update(satisfied_at=now)
    course_newly = course_done and "" not in already
    if course_newly:
        Cmi5Satisfied.objects.create(enrolment=enrolment, block_id="")
        statements.append(
            build.satisfied_course(enrolment=enrolment, package=package, session_id=session_id)
        )
    ids = statements_store(statements=statements) if statements else []
    if course_newly:
        from learners.learning.services import course_complete_cmi5

        course_complete_cmi5(enrolment=enrolment)
    return ids
