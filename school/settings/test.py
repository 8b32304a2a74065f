"""Test settings: SQLite unless DATABASE_URL is set, eager Celery unless a broker is given."""

from .base import *  # noqa: F403
from .env import env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
if not env("DATABASE_URL", default=None):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Per-process memory; the real-worker tests pass TEST_CACHE_URL (Redis) to share it with the worker.
CACHES = {"default": env.cache("TEST_CACHE_URL", default="locmemcache://")}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Eager with propagation by default; the celery_worker tests point at a real broker instead.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
# Off (False; an empty dict would keep allauth's defaults): tests sign in many times a minute from
# one address. The tests of the limits themselves turn them on.
ACCOUNT_RATE_LIMITS = False
PRIVATE_STORAGE_ROOT = BASE_DIR / "var" / "test-private"
STORAGES["private"]["OPTIONS"]["location"] = str(PRIVATE_STORAGE_ROOT)
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
ALLOWED_HOSTS = ["*"]
SITE_BASE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = SITE_BASE_URL
LOGGING["root"]["level"] = "WARNING"
# Sequences do not rewind when a test rolls back, so on PostgreSQL every test starts after a
# gap in statement ids; the coverage job need not wait for those to commit.
REPORTING_GAP_GRACE_SECONDS = 0
