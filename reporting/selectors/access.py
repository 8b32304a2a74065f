"""Who may see which department's coverage, and which organisations a department counts."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Q

from learners.models import Organisation, Role
from learners.selectors import user_role_names
from reporting.disclosure import DisclosureRule


def disclosure_rule() -> DisclosureRule:
    """The rule in force: settings REPORTING_DISCLOSURE_THRESHOLD and _ROUNDING (10 and 5)."""
    return DisclosureRule(
        threshold=getattr(settings, "REPORTING_DISCLOSURE_THRESHOLD", 10),
        rounding_base=getattr(settings, "REPORTING_DISCLOSURE_ROUNDING", 5),
    )


def is_central_analyst(user) -> bool:
    """Central analysts (and superusers) see every department, under the same protection."""
    return user.is_superuser or Role.ANALYST.value in user_role_names(user)


def reportable_departments(user):
    """The departments whose coverage this user may see: all for central analysts, the ones
    they lead for HR leads, none for anyone else.
    """
    if not user.is_authenticated:
        return Organisation.objects.none()
    if is_central_analyst(user):
        return Organisation.objects.live().departments()
    return Organisation.objects.filter(hr_leads__user=user).order_by("name")


def coverage_access(user):
    """Organisations whose existence means the user may see skills coverage: a queryset, so
    that the service navigation can ask this with its other questions in one query.
    """
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.live().departments()
    analyst = Q(Exists(user.groups.filter(name=Role.ANALYST.value)))
    departments = Organisation.objects.live().departments().values("pk")
    return Organisation.objects.filter(
        (analyst & Q(pk__in=departments)) | (~analyst & Q(hr_leads__user=user))
    )


def can_see_coverage(user) -> bool:
    """Whether `reportable_departments(user)` has any department, in one query."""
    return coverage_access(user).exists()


def department_for(user, code: str) -> Organisation:
    """The department with this code, if the user may see it; PermissionDenied otherwise."""
    department = reportable_departments(user).filter(code=code).first()
    if department is None:
        raise PermissionDenied("You can only see skills coverage for your own department.")
    return department


def counted_organisation_ids(department: Organisation) -> list[int]:
    """The department, its sub-organisations, and closed organisations it alone superseded
    (machinery-of-government changes), so that history stays comparable.
    """
    ids = {department.pk}
    ids.update(department.children.filter(format="Sub organisation").values_list("pk", flat=True))
    frontier = {department.pk}
    while frontier:
        predecessors = Organisation.objects.filter(superseded_by__in=frontier).exclude(pk__in=ids)
        new = {
            org.pk
            for org in predecessors.prefetch_related("superseded_by")
            if len(org.superseded_by.all()) == 1
        }
        ids |= new
        frontier = new
    return sorted(ids)
