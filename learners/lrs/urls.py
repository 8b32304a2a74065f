from django.urls import include, path, re_path

from .http import not_found

app_name = "lrs"
urlpatterns = [
    path("", include("learners.lrs.api.statement_urls")),
    path("", include("learners.lrs.api.document_urls")),
    # Last: every other path under /xapi/ is answered in JSON, not with the site's HTML 404.
    re_path(r"^(?P<path>.*)$", not_found, name="not-found"),
]
