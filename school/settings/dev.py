"""A newcomer's machine: SQLite under var/, tasks run eagerly, email to the console."""

from .base import *  # noqa: F403
from .env import env

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is only acceptable while DEBUG is on; with DEBUG off the key must be given.
SECRET_KEY = (
    env("SECRET_KEY", default="dev-only-insecure-key-not-for-production")
    if DEBUG
    else env("SECRET_KEY")
)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
# The address this machine serves on unless SITE_BASE_URL says otherwise: `make run PORT=8101`
# passes PORT, so links in email, the LRS endpoint and xAPI IRIs name the port really served.
SITE_BASE_URL = env(
    "SITE_BASE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}"
).rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_BASE_URL
