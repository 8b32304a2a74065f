"""Demo people: one verified account per persona, with real departments, grades and roles.

`seed_learning` lives with the learning journey; it is re-exported here because the demo
command composes `learners.demo.seed_people` and `learners.demo.seed_learning`.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from courses.models import RoleLevel
from learners.learning.demo import seed_learning

from .models import Grade, Organisation, Profession, Role, User
from .services.profiles import profile_hr_lead_set, profile_update

__all__ = ["seed_learning", "seed_people"]

DEMO_DEPARTMENT_CODE = "D2"  # Cabinet Office in the GOV.UK organisations data.


@dataclass(frozen=True)
class Persona:
    key: str
    first_name: str
    last_name: str
    groups: tuple[str, ...] = ()
    is_staff: bool = False
    is_superuser: bool = False
    grade_code: str = "HEO"
    current_role_level: tuple[str, str] = ("Data analyst", "Associate data analyst")
    target_role_level: tuple[str, str] = ("Data analyst", "Data analyst")

    @property
    def email(self) -> str:
        return f"{self.key}@example.gov.uk"


PERSONAS = (
    Persona("learner", "Alex", "Morgan"),
    Persona(
        "mentor",
        "Sam",
        "Patel",
        groups=(Role.MENTOR,),
        grade_code="G7",
        current_role_level=("Software developer", "Lead developer"),
        target_role_level=("Software developer", "Principal developer"),
    ),
    Persona("hr", "Jordan", "Okafor", groups=(Role.HR_LEAD,), grade_code="SEO"),
    Persona(
        "analyst",
        "Priya",
        "Shah",
        groups=(Role.ANALYST,),
        grade_code="G7",
        current_role_level=("Data analyst", "Senior data analyst"),
        target_role_level=("Data analyst", "Principal data analyst"),
    ),
    Persona(
        "editor",
        "Chris",
        "Evans",
        groups=(Role.EDITOR,),
        is_staff=True,
        grade_code="SEO",
        current_role_level=("Frontend developer", "Frontend developer"),
        target_role_level=("Frontend developer", "Senior frontend developer"),
    ),
    # Approves what editors submit: editors cannot publish on their own.
    Persona(
        "moderator",
        "Dana",
        "Whitfield",
        groups=(Role.MODERATOR,),
        is_staff=True,
        grade_code="G7",
        current_role_level=("Content designer", "Senior content designer"),
        target_role_level=("Content designer", "Lead content designer"),
    ),
    Persona("admin", "Robin", "Hughes", is_staff=True, is_superuser=True, grade_code="G6"),
)


def _demo_department() -> Organisation | None:
    live = Organisation.objects.live()
    return (
        live.filter(code=DEMO_DEPARTMENT_CODE).first()
        or live.filter(format="Ministerial department").order_by("name").first()
    )


def _grade(code: str) -> Grade | None:
    return Grade.objects.filter(code=code).first() or Grade.objects.order_by("rank").first()


def _profession() -> Profession | None:
    return (
        Profession.objects.filter(name__iexact="Digital").first()
        or Profession.objects.order_by("name").first()
    )


def _role_level(role_name: str, level_name: str) -> RoleLevel | None:
    return RoleLevel.objects.filter(role__name=role_name, name=level_name).first()


def _user(persona: Persona, password: str) -> User:
    user = User.objects.filter(email=persona.email).first()
    if user is None:
        user = User.objects.create_user(persona.email, password)
    user.first_name = persona.first_name
    user.last_name = persona.last_name
    user.is_active = True
    user.is_staff = persona.is_staff
    user.is_superuser = persona.is_superuser
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.filter(user=user).exclude(email=persona.email).delete()
    EmailAddress.objects.update_or_create(
        user=user, email=persona.email, defaults={"verified": True, "primary": True}
    )
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in persona.groups])
    return user


def _grant_admin_access(group_name: str) -> None:
    """Editors reach the Wagtail admin; Wagtail's migrations normally grant this already."""
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    if access_admin is not None:
        Group.objects.get_or_create(name=group_name)[0].permissions.add(access_admin)


@transaction.atomic
def seed_people(*, password: str) -> dict[str, User]:
    """One verified account per persona, all with `password`. Idempotent: run twice, same rows.

    Uses the loaded taxonomy (`manage.py load_taxonomy`): the learner works in the Cabinet Office
    (or, without it, the first live ministerial department) and `hr` is its HR lead. Demo users
    have no MFA, so privileged pages ask them to set it up.
    """
    _grant_admin_access(Role.EDITOR.value)
    _grant_admin_access(Role.MODERATOR.value)
    department = _demo_department()
    profession = _profession()
    people: dict[str, User] = {}
    for persona in PERSONAS:
        user = _user(persona, password)
        profile_update(
            user=user,
            organisation=department,
            grade=_grade(persona.grade_code),
            profession=profession,
            current_role_level=_role_level(*persona.current_role_level),
            target_role_level=_role_level(*persona.target_role_level),
        )
        people[persona.key] = user
    profile_hr_lead_set(user=people["hr"], organisations=[department] if department else [])
    return people
