"""The one settings module, driven by environment variables (django-environ).

The embedded default (no variables at all, DEBUG=1) is SQLite under var/ and Celery tasks run
in-process. Production differs by environment variables only; see docs/deploy.md.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env file is read when present; real environment variables win.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-used-when-debug-is-off-0123456789"
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set when DEBUG is off (for local development run with DEBUG=1, as `make run` does)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "import_export",
    "simple_history",
    "django_celery_beat",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # ours, in dependency order (tests/test_architecture.py): each imports only from those above it. The outbox
    # (notifications) needs only accounts and anchors, and every app below it writes through it.
    "common",
    "accounts",
    "anchors",
    "notifications",
    "facilities",
    "tenants",
    "reservations",
    "allocation",
    "billing",
    "programs",
    "budgets",
    "opendata",
    "api",
]

MIDDLEWARE = [
    "common.requestid.RequestIdMiddleware",
    "common.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages for visitors without a session, served before the session, CSRF and rendering work
    # (common/pagecache.py: exact invalidation by a data stamp every write bumps).
    "common.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "common.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.LanguageMiddleware",
    "common.korean.KoreanParticlesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
# Persistent connections: a one-query page served 138 req/s with a new connection per request, 800+ without.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when the transaction begins, so a booking's check-then-insert is serialised.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "accounts.backends.EmailBackend"]
# Password guessing: five failures for one e-mail address from one IP address lock that pair for an hour, and 20
# failures from one address, whatever the accounts, lock that address (accounts/axes.py).
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field holds the e-mail address
# One account however its address is typed (case, spaces); and a limit per address against password spraying.
AXES_USERNAME_CALLABLE = "accounts.axes.normalised_username"
AXES_HANDLER = "accounts.axes.AnchorAxesHandler"
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=20)
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "landing"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Korean first, English available.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
# LOCALE_DIR lets a test extract the messages into a copy of the catalogue, to see that nothing is missing.
LOCALE_PATHS = [Path(env.str("LOCALE_DIR", default=str(BASE_DIR / "locale")))]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "anchor_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Static and media files
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT_OVERRIDE", default=str(BASE_DIR / "var" / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request without it
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Private uploads (evidence, applications, payment evidence, reports): outside MEDIA_ROOT, never served by address;
# views that ask the policy send them (common/files.py). Behind nginx set PRIVATE_MEDIA_ACCEL_PREFIX to its
# internal location (deploy/nginx/anchor-portal-locations.conf: "/_private/") and nginx sends the bytes.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))
PRIVATE_MEDIA_ACCEL_PREFIX = env.str("PRIVATE_MEDIA_ACCEL_PREFIX", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "common.files.PrivateStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# E-mail: EMAIL_URL names the server (smtp+tls://user:pass@host:587). With DEBUG on it defaults to the console;
# with DEBUG off it must be set, or sign-up links and password resets would silently go to the log.
if not DEBUG and not env.str("EMAIL_URL", default=""):
    raise ImproperlyConfigured(
        "EMAIL_URL must be set when DEBUG is off (smtp+tls://user:password@host:587, or consolemail:// to print mail "
        "to the log on purpose)."
    )
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Seoul Anchor Facilities <noreply@anchors.seoul.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A send never outlasts the outbox's stale-claim period (OUTBOX_STALE_SECONDS, 10 minutes), or a slow mail server
# would make a second worker take the message over while the first is still sending it.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
OUTBOX_STALE_SECONDS = env.int("OUTBOX_STALE_SECONDS", default=600)

# Celery: Redis when REDIS_URL is set; otherwise tasks run eagerly in-process (the embedded default).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
# The public pages' cache (common/pagecache.py) lives in Redis, shared by every worker, so that one stamp bump retires
# a page everywhere. Without Redis nothing is cached: a per-process cache could serve one worker's stale page.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE", default=bool(REDIS_URL))
# Best a Redis database of its own with maxmemory and allkeys-lru (docs/deploy.md), apart from the broker's queues.
PAGE_CACHE_URL = env.str("PAGE_CACHE_URL", default=REDIS_URL)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": (
        {
            "BACKEND": "common.rediscache.RedisCache",
            "LOCATION": PAGE_CACHE_URL,
            "KEY_PREFIX": env.str("PAGE_CACHE_PREFIX", default="pages"),
            # A Redis that does not answer costs a request at most this long before the page is rendered uncached.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
        if PAGE_CACHE_URL and PAGE_CACHE_ENABLED
        else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    ),
    # The API's request counts (api/throttles.py): shared by every worker through Redis; per process without it.
    "throttle": (
        {
            "BACKEND": "common.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("THROTTLE_PREFIX", default="throttle"),
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
    ),
}
# Nothing reads a task's result: without a result backend a request never waits on Redis for one (with one, a
# Redis outage made every booking wait ~19 s while the backend retried).
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_TIMEOUT = 1
# Publishing fails fast when Redis is down (no retry, no reconnect loop): what is handed over is already safe in
# the database and goes out at the next periodic run (common/broker.py).
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 5, "max_retries": 0}
BROKER_PAUSE_SECONDS = env.int("BROKER_PAUSE_SECONDS", default=30)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# The API (api/, issue 17): Django REST framework with an OpenAPI 3 schema (drf-spectacular). Errors are problem
# details (api/problems.py); throttling counts in the "throttle" cache, Redis when there is one, so every worker
# counts together (a per-process count would let each of them allow the rate).
# API: wrong personal tokens one address may send in a minute before every token from it waits a minute.
API_BAD_TOKENS_PER_MINUTE = env.int("API_BAD_TOKENS_PER_MINUTE", default=30)

# Open data (opendata/): counts from 1 to this minus one are left blank in the published files.
OPEN_DATA_MIN_COUNT = env.int("OPEN_DATA_MIN_COUNT", default=3)

REST_FRAMEWORK = {
    # A personal token first (its 401 names the Bearer scheme), else the browser's session (with its CSRF check).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.authentication.ScopePermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.handle",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttles.AddressThrottle",
        "api.throttles.UserThrottle",
        "api.throttles.TokenThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "address": env.str("API_RATE_ADDRESS", default="120/min"),
        "user": env.str("API_RATE_USER", default="600/min"),
        "token": env.str("API_RATE_TOKEN", default="300/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NUM_PROXIES": env.int("PROXY_COUNT", default=0),  # as django-axes: X-Forwarded-For is trusted only behind proxies
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Seoul anchor facilities API",
    "DESCRIPTION": (
        "Anchors, their bookable spaces and machines, a week of free and busy slots for the one asking, and fee "
        "quotes, through the same rules as the portal's pages. Errors are RFC 9457 problem details carrying the "
        "rule code a page shows. Korean first: send Accept-Language: en for English."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER via the env below.
# Database sessions (Django's), read in plain SQL on every request: common/sessions.py.
SESSION_ENGINE = "common.sessions"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a commitment the city's domain owner makes on hstspreload.org, not something
    # this application can decide; enable it with SECURE_HSTS_PRELOAD=1 once that is done.
    "security.W021",
]

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Demo accounts are created (and their passwords printed) only when DEBUG is on.
DEMO_ACCOUNTS_ENABLED = DEBUG

# Content security policy: our own scripts only (Bootstrap and htmx are served from static/).
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],  # style attributes in templates and the admin
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "common.requestid.RequestIdFilter"}},
    "formatters": {"json": {"()": "common.requestid.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Online payments (billing/providers.py). The sandbox takes no money, so it is on only for development (DEBUG) unless
# named; a deployment names its real provider's class here and its settings in the environment.
BILLING_PROVIDERS = {"sandbox": "billing.providers.SandboxProvider"}
BILLING_ONLINE_PROVIDER = env.str("BILLING_ONLINE_PROVIDER", default="sandbox" if DEBUG else "")
BILLING_SANDBOX_SECRET = env.str("BILLING_SANDBOX_SECRET", default="")
# The right-hand side of the Message-ID of every e-mail and of every calendar event's UID.
MESSAGE_ID_DOMAIN = env.str("MESSAGE_ID_DOMAIN", default="anchors.seoul.example")
