"""Settings shared by every environment. Values that differ come from `env`."""

from celery.schedules import crontab

from .env import BASE_DIR, env
from .oidc import form_action_origins

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default=None)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The site's canonical address: used for xAPI activity IRIs, actor home pages and links in email.
SITE_BASE_URL = env("SITE_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_BASE_URL
# Where cmi5 package files are served from: another origin (say https://content.example.gov.uk,
# routed to this app) keeps package JavaScript away from the platform entirely; by default the
# site's own, where each file is sandboxed into an opaque origin by its CSP.
CMI5_CONTENT_ORIGIN = env("CMI5_CONTENT_ORIGIN", default="").rstrip("/")
WAGTAIL_SITE_NAME = "Public School of Technology"

INSTALLED_APPS = [
    # Our apps, lowest floor first.
    "courses",
    "learners",
    "learners.lrs",
    "learners.learning",
    "learners.privacy",
    "challenges",
    "reporting",
    "school",
    # Wagtail.
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Accounts.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # Django.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "school.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "school.middleware.RejectUndecodableInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "courses.middleware.CachedSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "school.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "school.urls"
WSGI_APPLICATION = "school.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "school.context_processors.service_navigation",
            ],
        },
    },
]

# SQLite under var/ unless DATABASE_URL says otherwise: env.db() is the only database parser.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work beside the one writer. IMMEDIATE transactions take the write lock
    # at BEGIN, where the busy timeout waits for it: a deferred transaction that read first
    # and then writes cannot wait (SQLite answers "database is locked" at once when another
    # writer committed in between), which concurrent statement and document writes hit.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "learners.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Private uploads (challenge files, xAPI attachments): never under MEDIA_ROOT or the web root.
PRIVATE_STORAGE_ROOT = env.path("PRIVATE_STORAGE_ROOT", default=BASE_DIR / "var" / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_USER_EDIT_FORM = None
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILADMIN_COMMENTS_ENABLED = True

# Email: console by default, SMTP from the environment in production.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Public School of Technology <noreply@example.gov.uk>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write about accessibility, their personal data or problems with the service.
SUPPORT_EMAIL = env("SUPPORT_EMAIL", default="skills-support@example.gov.uk")

# --- Accounts (django-allauth 65) ---
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Public School of Technology: "
ACCOUNT_ADAPTER = "learners.adapters.GovernmentAccountAdapter"
SOCIALACCOUNT_ADAPTER = "learners.adapters.GovernmentSocialAccountAdapter"
# GOV.UK labels ("Email address", "Confirm password") on allauth's forms.
ACCOUNT_FORMS = {
    "login": "learners.forms.LoginForm",
    "signup": "learners.forms.SignupForm",
    "add_email": "learners.forms.AddEmailForm",
    "reset_password": "learners.forms.ResetPasswordForm",
    "reset_password_from_key": "learners.forms.ResetPasswordKeyForm",
    "change_password": "learners.forms.ChangePasswordForm",
    "set_password": "learners.forms.SetPasswordForm",
    "reauthenticate": "learners.forms.ReauthenticateForm",
}
SOCIALACCOUNT_FORMS = {"signup": "learners.forms.SocialSignupForm"}
# The Wagtail admin must not offer its own password or email changes: they would skip allauth's
# verification, domain allowlist and second factor. People manage both under /accounts/.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# Failed sign-ins are counted per account (key: the email) and per client address. The per-account
# limit stops guessing one person's password; the per-address limit, higher because a department's
# network or the HTTPS proxy can put many people behind one address, stops one client spraying
# many accounts. The client address is only right when allauth knows the proxies in front
# (ALLAUTH_TRUSTED_PROXY_COUNT / ALLAUTH_TRUSTED_CLIENT_IP_HEADER, set in production.py).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "30/5m/ip,5/5m/key",
    "signup": "10/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "5/h/ip,3/h/key",
}
# Sign-up is open only to these domains and their subdomains.
ALLOWED_EMAIL_DOMAINS = env.list("ALLOWED_EMAIL_DOMAINS", default=["gov.uk"])
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Public School of Technology"
# Single sign-on: one OpenID Connect provider (e.g. Microsoft Entra ID pinned to a tenant).
# README "Single sign-on" explains each variable to the IT team that registers the client.
OIDC_SERVER_URL = env("OIDC_SERVER_URL", default="")
# Origins of the authorization endpoint when discovery names a host other than the issuer's.
OIDC_AUTHORIZE_ORIGINS = env.list("OIDC_AUTHORIZE_ORIGINS", default=[])
# Take the provider's email as verified when the claim is missing (Entra sends no
# email_verified), but only for addresses on ALLOWED_EMAIL_DOMAINS. Safe only because an SSO
# login never signs in to an existing account by matching its email (see the social adapter).
OIDC_TRUST_EMAILS = env.bool("OIDC_TRUST_EMAILS", default=False)
SOCIALACCOUNT_ONLY = False
# Never True: with trusted emails it would let a provider account take over a password account.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env("OIDC_PROVIDER_ID", default="entra"),
                "name": env("OIDC_PROVIDER_NAME", default="your department's single sign-on"),
                "client_id": env("OIDC_CLIENT_ID", default=""),
                "secret": env("OIDC_CLIENT_SECRET", default=""),
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ]
        if OIDC_SERVER_URL
        else [],
    }
}

# --- Security headers (django-csp 4: no inline script) ---
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": ["'self'"],
        # The SSO provider's authorization endpoint: "Continue" redirects a form POST there.
        "form-action": ["'self'", *form_action_origins(OIDC_SERVER_URL, OIDC_AUTHORIZE_ORIGINS)],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
    # Wagtail's admin needs inline scripts and styles; the public site does not.
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
CSRF_FAILURE_VIEW = "school.errors.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True
# Sessions are stored in the database and read through the cache (Redis in production).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Reporting: statistical disclosure control (the ONS 10-5 rule) ---
REPORTING_DISCLOSURE_THRESHOLD = env.int("REPORTING_DISCLOSURE_THRESHOLD", default=10)
REPORTING_DISCLOSURE_ROUNDING = env.int("REPORTING_DISCLOSURE_ROUNDING", default=5)
# How long the coverage job waits at a gap in statement ids (a transaction still committing).
REPORTING_GAP_GRACE_SECONDS = env.int("REPORTING_GAP_GRACE_SECONDS", default=30)

# --- Celery ---
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Ride out a broker restart or outage of any length: reconnect for ever (the default gives up
# after 100 tries and the worker exits), and on connection loss cancel the running late-ack
# tasks, which Redis redelivers, rather than finishing work that can no longer be acknowledged.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Redis gives a message taken but not acknowledged (a worker killed with -9, its prefetched
# and running tasks) to another worker after this long. Longer than any task's countdown
# (forwarding retries wait at most 320 s) and its run time, shorter than Redis's default hour.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=900)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_BEAT_SCHEDULE = {
    "coverage-update": {
        "task": "reporting.tasks.coverage_update",
        "schedule": crontab(minute="*/5"),
    },
    "coverage-rebuild-check": {
        "task": "reporting.tasks.coverage_rebuild",
        "schedule": crontab(minute=30, hour=2, day_of_week="sun"),
    },
    "coverage-monthly-snapshot": {
        "task": "reporting.tasks.coverage_snapshot_previous_month",
        "schedule": crontab(minute=15, hour=0, day_of_month=1),
    },
    # Daily: remind teams with a draft that their challenge closes within 48 hours.
    "challenges-deadline-reminders": {
        "task": "challenges.tasks.send_deadline_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "healthz-heartbeat": {
        "task": "school.tasks.heartbeat",
        "schedule": crontab(minute="*/5"),
    },
    # Nightly: apply the personal-data retention rules (learners.privacy.services.retention).
    "privacy-retention": {
        "task": "learners.privacy.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=45),
    },
    "sessions-clear-expired": {
        "task": "school.tasks.sessions_clear_expired",
        "schedule": crontab(hour=3, minute=15),
    },
    # Re-queue LRS forwarding that is still undelivered after a minute (target, broker or worker
    # down): see learners.lrs.forwarding.
    "lrs-forwarding-sweep": {
        "task": "learners.lrs.tasks.forwarding_sweep",
        "schedule": 60.0,
    },
}
# Wagtail 8's own background tasks (django-tasks): run in-process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# How long personal data is kept, in days, by kind (learners.privacy.register.RETENTION says
# what each kind covers; the privacy notice prints these numbers).
PRIVACY_RETENTION_DAYS = {
    "account": env.int("RETENTION_INACTIVE_ACCOUNT_DAYS", default=3 * 365),
    "learning": env.int("RETENTION_CLOSED_ACCOUNT_STATEMENTS_DAYS", default=365),
    "challenge_files": env.int("RETENTION_CHALLENGE_FILES_DAYS", default=365),
    "audit": env.int("RETENTION_AUDIT_DAYS", default=2 * 365),
    "sar_files": env.int("RETENTION_SUBJECT_ACCESS_FILE_DAYS", default=7),
}

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"client_errors": {"()": "school.log_filters.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # One line per 4xx, not two tracebacks: not propagated to Django's own "django" console
        # handler (which DEBUG turns on) as well as ours.
        "django.request": {
            "handlers": ["console"],
            "filters": ["client_errors"],
            "propagate": False,
        },
        "django.db.backends": {"level": "WARNING"},
        # Wagtail's in-process tasks log two lines per page save at INFO: noise, not news.
        "django_tasks": {"level": "WARNING"},
    },
}
