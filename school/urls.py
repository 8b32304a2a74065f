from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from learners import sso
from school import views

# Every sign-in goes through allauth (rate limits, verification, second factor). The leftover
# sign-in and password-reset views of Django and Wagtail are shadowed here, before the includes
# that hold them, so they sign nobody in. Wagtail's `_util/authenticate_with_password/` (a page's
# shared password, not a person's sign-in) stays.
LEFTOVER_SIGN_IN = [
    path("_util/login/", views.sign_in_with_allauth),
    path("admin/login/", views.sign_in_with_allauth),
    re_path(r"^admin/password_reset/", views.reset_password_with_allauth),
    # Wagtail's deliberate 500 for superusers ("failwhale"): no URL answers with a server error.
    path("admin/failwhale/", views.not_found),
]

urlpatterns = [
    *LEFTOVER_SIGN_IN,
    path("healthz", views.healthz, name="healthz"),
    # Information pages linked from the footer.
    path("status/", views.service_status, name="status"),
    path("developers/xapi/", views.xapi_developers, name="xapi_developers"),
    path("cookies/", views.cookies, name="cookies"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # allauth's OpenID Connect views, guarded so that an unreachable provider is no 500.
    path("accounts/oidc/<str:provider_id>/login/", sso.oidc_login),
    path("accounts/oidc/<str:provider_id>/login/callback/", sso.oidc_callback),
    path("accounts/", include("allauth.urls")),
    path("xapi/", include("learners.lrs.urls")),
    path("", include("learners.urls")),
    path("", include("learners.privacy.urls")),
    path("challenges/", include("challenges.urls")),
    path("reporting/", include("reporting.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving last: it catches everything else.
urlpatterns.append(path("", include(wagtail_urls)))

handler400 = "school.errors.bad_request"
handler403 = "school.errors.permission_denied"
handler404 = "school.errors.page_not_found"
handler500 = "school.errors.server_error"
