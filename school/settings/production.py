"""Production: everything from the environment; this module only hardens.

Required variables (no defaults): SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, CELERY_BROKER_URL,
CACHE_URL. Django refuses to start (ImproperlyConfigured) when one is missing.
"""

from .base import *  # noqa: F403
from .env import env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # no default: refuse to start without one
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {
    "default": {
        **env.db("DATABASE_URL"),
        "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
    }
}
# A session left idle inside a transaction (a frozen or vanished worker holding the coverage
# job's row lock) is ended by PostgreSQL after this long, releasing its locks.
DB_IDLE_IN_TRANSACTION_SECONDS = env.int("DB_IDLE_IN_TRANSACTION_SECONDS", default=120)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c idle_in_transaction_session_timeout={DB_IDLE_IN_TRANSACTION_SECONDS * 1000}"
    )
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
# Shared by every web process: allauth's rate limits and the worker heartbeat live here.
CACHES = {"default": env.cache("CACHE_URL")}
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "AUTO_UPDATE": True,
    }
}

# HTTPS only, behind a proxy that sets X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The client's own address for allauth's rate limits: without it every request seems to come
# from the proxy, and one person's failed sign-ins would lock everyone out. Either the number of
# proxies that append to X-Forwarded-For (default: the one HTTPS proxy) or a header the proxy
# sets to the client address (which it must overwrite, never pass on from the client).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=1)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", default=None) or None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Links in email and the SSO redirect URI are https even if a proxy forgets X-Forwarded-Proto.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SECURE_SSL_REDIRECT else "http"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
# Nothing frames the public site; Wagtail's preview views set their own SAMEORIGIN exception.
X_FRAME_OPTIONS = "DENY"
# Browsers fetch any http:// asset over HTTPS (off when trying production settings over HTTP).
CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY,
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "upgrade-insecure-requests": SECURE_SSL_REDIRECT,
    },
}
