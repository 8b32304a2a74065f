"""Find the Wagtail site of a request from the structure cache (see courses.cache)."""

from .selectors import site_for_request

# Views that never use the site: the health check must answer with the database or cache down,
# and the LRS serves machines.
SKIPPED_PREFIXES = ("/healthz", "/xapi/", "/static/")


def give_wagtail_the_site(request, site) -> None:
    """Hand Wagtail the request's site, so that `Site.find_for_request` does not look it up.

    Wagtail 8 has no public way to do this: `Site.find_for_request` keeps the site it finds on
    the private `request._wagtail_site` and reads it back from there for the rest of the
    request. This is the one place the project touches that attribute; if Wagtail renames it,
    pages still work (Wagtail's own lookup runs) and only the saved queries are lost.
    """
    request._wagtail_site = site


class CachedSiteMiddleware:
    """Give Wagtail the request's site before it looks for it.

    Wagtail finds the site (one query) and then its root page's specific type (another) for
    every page it serves and every page link it writes. This gives it the site from the
    structure cache, which a change to any site or page invalidates. When no site matches,
    Wagtail's own lookup runs as before.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(SKIPPED_PREFIXES):
            site = site_for_request(request)
            if site is not None:
                give_wagtail_the_site(request, site)
        return self.get_response(request)
