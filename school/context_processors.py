"""Context every GOV.UK page needs: the service navigation."""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from reporting.selectors import can_see_coverage

# Whether someone may see skills coverage is remembered in their session under this token,
# which any change to roles, HR leads, users or organisations replaces (see SchoolConfig).
ACCESS_VERSION_KEY = "school:navigation-access-version"
SESSION_KEY = "service_navigation_coverage"


def access_version() -> str:
    return cache.get_or_set(ACCESS_VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def access_changed(**kwargs) -> None:
    """Forget every remembered answer (called on changes that can alter one)."""

    def replace():
        cache.set(ACCESS_VERSION_KEY, uuid.uuid4().hex, timeout=None)

    replace()
    transaction.on_commit(replace)


def _coverage_link(request, user) -> bool:
    session = getattr(request, "session", None)
    if session is None:
        return can_see_coverage(user)
    version = access_version()
    remembered = session.get(SESSION_KEY)
    if remembered and remembered[:2] == [version, user.pk]:
        return remembered[2]
    shown = can_see_coverage(user)
    session[SESSION_KEY] = [version, user.pk, shown]
    return shown


def service_navigation(request):
    path = request.path
    items = [
        ("Courses", "/courses/"),
        ("Challenges", "/challenges/"),
    ]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        items.insert(0, ("Dashboard", reverse("learners:dashboard")))
        if _coverage_link(request, user):
            items.append(("Skills coverage", "/reporting/"))
    navigation = [
        {"text": text, "href": href, "active": path.startswith(href)} for text, href in items
    ]
    return {"service_navigation": navigation}
