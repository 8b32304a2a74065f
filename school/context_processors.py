"""Context every GOV.UK page needs: the service navigation, with the places each person's roles
give them (review queue, challenge management, skills coverage, the admin).
"""

import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, Q
from django.urls import reverse

from challenges.selectors import challenges_managed
from learners.models import Role
from reporting.selectors import coverage_access

# What someone's roles give them is remembered in their session under this token, which any
# change to roles, HR leads, users, organisations or challenge managers replaces (SchoolConfig).
ACCESS_VERSION_KEY = "school:navigation-access-version"
SESSION_KEY = "service_navigation_access"

# Each place a role gives, in the order the navigation shows them: (flag, text, URL name).
# LRS clients and forwarding live in the admin, so they are listed on the dashboard only.
ROLE_PLACES = [
    ("review", "Review queue", "challenges:review_queue"),
    ("manage", "Manage challenges", "challenges:manage"),
    ("coverage", "Skills coverage", "reporting:index"),
    ("admin", "Admin", "wagtailadmin_home"),
]
ADMIN_PLACES = [
    ("lrs", "LRS clients", "lrsclient:index"),
    ("lrs", "xAPI forwarding targets", "forwardingtarget:index"),
]


def access_version() -> str:
    return cache.get_or_set(ACCESS_VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def access_changed(**kwargs) -> None:
    """Forget every remembered answer (called on changes that can alter one)."""

    def replace():
        cache.set(ACCESS_VERSION_KEY, uuid.uuid4().hex, timeout=None)

    replace()
    transaction.on_commit(replace)


def _holds(user, app_label: str, codenames: list[str]):
    """The user's permissions (direct or through a group) among these, as a queryset."""
    return Permission.objects.filter(
        Q(user=user) | Q(group__user=user),
        content_type__app_label=app_label,
        codename__in=codenames,
    )


def role_access(user) -> dict[str, bool]:
    """Which places the user's roles give them, asked in one query."""
    questions = {
        "coverage": Exists(coverage_access(user)),
        "review": Exists(user.groups.filter(name=Role.MENTOR.value)),
        "manage": Exists(challenges_managed(user=user)),
    }
    if not user.is_superuser:  # a superuser holds every permission
        questions["admin"] = Exists(_holds(user, "wagtailadmin", ["access_admin"]))
        questions["lrs"] = Exists(_holds(user, "lrs", ["add_lrsclient", "change_lrsclient"]))
    answers = get_user_model().objects.filter(pk=user.pk).values(**questions).first() or {}
    access = {"admin": user.is_superuser, "lrs": user.is_superuser}
    access.update({name: bool(value) for name, value in answers.items()})
    return access


def _remembered_access(request, user) -> dict[str, bool]:
    session = getattr(request, "session", None)
    if session is None:
        return role_access(user)
    version = access_version()
    remembered = session.get(SESSION_KEY)
    if remembered and remembered[:2] == [version, user.pk]:
        return remembered[2]
    access = role_access(user)
    session[SESSION_KEY] = [version, user.pk, access]
    return access


def role_places(access: dict[str, bool], *, with_admin_places: bool = False) -> list[dict]:
    """The places (text and href) these access flags give, in navigation order."""
    places = ROLE_PLACES + (ADMIN_PLACES if with_admin_places else [])
    return [
        {"text": text, "href": reverse(name)} for flag, text, name in places if access.get(flag)
    ]


def service_navigation(request):
    path = request.path
    items = [
        {"text": "Courses", "href": "/courses/"},
        {"text": "Challenges", "href": "/challenges/"},
    ]
    work = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        access = _remembered_access(request, user)
        items.insert(0, {"text": "Dashboard", "href": reverse("learners:dashboard")})
        items += role_places(access)
        work = role_places(access, with_admin_places=True)
    # The longest matching prefix is the active item (/challenges/review/ is the review queue).
    active = max(
        (item["href"] for item in items if path.startswith(item["href"])), key=len, default=None
    )
    navigation = [{**item, "active": item["href"] == active} for item in items]
    return {"service_navigation": navigation, "role_places": work}
