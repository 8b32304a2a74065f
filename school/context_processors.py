"""Context every GOV.UK page needs: the service navigation."""

from django.urls import reverse

from reporting.selectors import is_central_analyst, reportable_departments


def service_navigation(request):
    path = request.path
    items = [
        ("Courses", "/courses/"),
        ("Challenges", "/challenges/"),
    ]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        items.insert(0, ("Dashboard", reverse("learners:dashboard")))
        if is_central_analyst(user) or reportable_departments(user).exists():
            items.append(("Skills coverage", "/reporting/"))
    navigation = [
        {"text": text, "href": href, "active": path.startswith(href)} for text, href in items
    ]
    return {"service_navigation": navigation}
