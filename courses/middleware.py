"""Find the Wagtail site of a request from the structure cache (see courses.cache)."""

from .selectors import site_for_request

# Views that never use the site: the health check must answer with the database or cache down,
# and the LRS serves machines.
SKIPPED_PREFIXES = ("/healthz", "/xapi/", "/static/")


class CachedSiteMiddleware:
    """Give Wagtail the request's site before it looks for it.

    Wagtail finds the site (one query) and then its root page's specific type (another) for
    every page it serves and every page link it writes, and keeps the site on
    `request._wagtail_site` for the rest of the request (see
    wagtail.models.Site.find_for_request). This sets that attribute from the structure cache,
    which a change to any site or page invalidates. When no site matches, Wagtail's own lookup
    runs as before.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(SKIPPED_PREFIXES):
            site = site_for_request(request)
            if site is not None:
                request._wagtail_site = site
        return self.get_response(request)
