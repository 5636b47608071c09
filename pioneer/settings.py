"""Pioneer Notify settings: one module, everything from the environment.

Defaults are safe for a developer's laptop (SQLite under var/, console email,
tasks run inline). With PIONEER_ENV=production the process refuses to start
when a secret is missing or a development default is still in place.
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path

import environ

from pioneer.email_config import EmailConfigError, email_settings_from_env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me"


def _refuse_to_start(message: str) -> None:
    """Stop start-up with one readable line instead of a traceback."""
    sys.exit(f"Configuration error: {message}")


PIONEER_ENV = env.str("PIONEER_ENV", default="development").strip().lower()
if PIONEER_ENV not in {"development", "production"}:
    _refuse_to_start(f"PIONEER_ENV must be development or production, not {PIONEER_ENV!r}")
IS_PRODUCTION = PIONEER_ENV == "production"

DEBUG = not IS_PRODUCTION

SECRET_KEY = env.str("APP_SECRET_KEY", default=DEV_SECRET_KEY)
if IS_PRODUCTION and (not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY):
    _refuse_to_start("APP_SECRET_KEY must be set to a secret value when PIONEER_ENV=production")
if IS_PRODUCTION and len(SECRET_KEY) < 32:
    _refuse_to_start("APP_SECRET_KEY must be at least 32 characters when PIONEER_ENV=production")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])

# --- Pioneer-specific settings (names kept from the TypeScript backend) -------
PORT = env.int("PORT", default=3000)
APP_LOG_LEVEL = env.str("APP_LOG_LEVEL", default="info").upper()
QUERY_NODE_ENDPOINT = env.str("QUERY_NODE_ENDPOINT", default="https://query.joystream.org/graphql")
QUERY_NODE_TIMEOUT_SECONDS = env.float("QUERY_NODE_TIMEOUT_SECONDS", default=30.0)
# Transient query-node failures (connection, timeout, 5xx, 429) are retried this many
# attempts in all, with exponential backoff from QUERY_NODE_BACKOFF_SECONDS plus jitter.
QUERY_NODE_MAX_ATTEMPTS = env.int("QUERY_NODE_MAX_ATTEMPTS", default=4)
QUERY_NODE_BACKOFF_SECONDS = env.float("QUERY_NODE_BACKOFF_SECONDS", default=1.0)
PIONEER_URL = env.str("PIONEER_URL", default="https://pioneerapp.xyz").rstrip("/")
STARTING_BLOCK = env.int("STARTING_BLOCK", default=0)
EMAIL_MAX_RETRY_COUNT = env.int("EMAIL_MAX_RETRY_COUNT", default=3)
NOTIFY_INTERVAL_SECONDS = env.int("NOTIFY_INTERVAL_SECONDS", default=60)
# Events per page: each page costs a few fixed queries and one transaction, and its notifications
# are streamed in bounded chunks (qn_ingest.bulk_write), so large pages are cheap in memory.
INGEST_PAGE_SIZE = env.int("INGEST_PAGE_SIZE", default=500)
EMAIL_VERIFICATION_TTL_DAYS = env.int("EMAIL_VERIFICATION_TTL_DAYS", default=7)
AUTH_TOKEN_TTL_DAYS = env.int("AUTH_TOKEN_TTL_DAYS", default=90)

try:
    INITIAL_MEMBERSHIPS = json.loads(env.str("INITIAL_MEMBERSHIPS", default="") or "[]")
except json.JSONDecodeError as exc:
    _refuse_to_start(f"INITIAL_MEMBERSHIPS is not valid JSON ({exc.msg})")
if not isinstance(INITIAL_MEMBERSHIPS, list):
    _refuse_to_start("INITIAL_MEMBERSHIPS must be a JSON list of {id, name, email} objects")
# The same list in a file, for lists too long for one environment variable (seedmembers).
INITIAL_MEMBERSHIPS_FILE = env.str("INITIAL_MEMBERSHIPS_FILE", default="")

# --- Django ---------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "graphene_django",
    "django_celery_beat",
    "anymail",
    "members",
    "subscriptions",
    "notifications",
    "qn_ingest",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pioneer.urls"
WSGI_APPLICATION = "pioneer.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

SQLITE_DEFAULT_PATH = VAR_DIR / "pioneer.sqlite3"
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{SQLITE_DEFAULT_PATH}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] == str(SQLITE_DEFAULT_PATH):
        VAR_DIR.mkdir(exist_ok=True)
    # WAL lets the API read while a worker writes; IMMEDIATE transactions and a
    # busy timeout make concurrent writers wait instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# The project's own files (GraphiQL's scripts, so that it works offline); pioneer is not an app.
STATICFILES_DIRS = [BASE_DIR / "pioneer" / "static"]
# WhiteNoise serves the static files straight from where the finders find them: gunicorn needs
# no separate web server and no collectstatic step (the files are indexed at start-up).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# The API authenticates with a bearer header, never a cookie: no CSRF token is needed there
# (the GraphQL view is csrf_exempt). The admin keeps Django's CSRF protection.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOW_ALL_ORIGINS = not CORS_ALLOWED_ORIGINS
CORS_URLS_REGEX = r"^/(graphql/?)?$"

if IS_PRODUCTION:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- GraphQL --------------------------------------------------------------------
GRAPHENE = {
    "SCHEMA": "pioneer.schema.schema",
    # Off: each service opens its own transaction around its writes. A transaction around the
    # whole mutation would also span signin/signup's query-node lookup, and on SQLite (BEGIN
    # IMMEDIATE) hold the write lock for those seconds, stalling every other writer.
    "ATOMIC_MUTATIONS": False,
    "MIDDLEWARE": ["pioneer.graphql_view.RejectNulCharactersMiddleware"],
}
GRAPHQL_JWT = {
    "JWT_SECRET_KEY": SECRET_KEY,
    "JWT_ALGORITHM": "HS256",
    "JWT_VERIFY_EXPIRATION": True,
    "JWT_EXPIRATION_DELTA": timedelta(days=AUTH_TOKEN_TTL_DAYS),
    "JWT_AUTH_HEADER_PREFIX": "Bearer",
}

# --- Email ----------------------------------------------------------------------
try:
    _email = email_settings_from_env(env, is_production=IS_PRODUCTION, var_dir=VAR_DIR)
except EmailConfigError as exc:
    _refuse_to_start(str(exc))
EMAIL_BACKEND = _email.backend
ANYMAIL = _email.anymail
EMAIL_PROVIDER_NAME = _email.provider_name
for _name, _value in _email.django_settings.items():
    globals()[_name] = _value
DEFAULT_FROM_EMAIL = _email.sender
SERVER_EMAIL = _email.sender
EMAIL_UNSUBSCRIBE_MAILTO = env.str("EMAIL_UNSUBSCRIBE_MAILTO", default="")
# Emails in a row that soft-bounce (no delivery in between) before the address is suppressed; 0: never.
EMAIL_SOFT_BOUNCE_LIMIT = env.int("EMAIL_SOFT_BOUNCE_LIMIT", default=5)
# Public https base of this service: the one-click unsubscribe links in emails point here.
PUBLIC_URL = env.str("PUBLIC_URL", default=f"http://localhost:{PORT}").rstrip("/")
if IS_PRODUCTION and not env.str("PUBLIC_URL", default="").startswith("https://"):
    _refuse_to_start("PUBLIC_URL must be this service's public https:// URL when PIONEER_ENV=production")

# --- Celery ---------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
# No broker: tasks run inline in the calling process (API sends its own emails,
# `notify` delivers in the foreground), like the old "API + cron" deployment.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
# Redis hands a task that is not acknowledged within visibility_timeout (kombu's default: 1 hour)
# to a worker again. With acks_late a task is acknowledged only after it ran, and an email retry
# waits out its countdown (up to notifications.sending.RETRY_BACKOFF_MAX_SECONDS, 1 hour) inside the
# worker first: a shorter timeout would run extra copies of long retries, each a spent attempt.
# Tasks of a killed worker come back only after this; the email sweeper re-queues them sooner.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3 * 3600}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker of `make run`: queues are plain files under var/broker.
    _broker_dir = Path(env.str("CELERY_BROKER_DIR", default=str(VAR_DIR / "broker")))
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Broadcast (remote control) exchanges; kombu's default is ./control in the cwd.
        "control_folder": str(_broker_dir / "control"),
    }
EMAIL_SWEEP_INTERVAL_SECONDS = env.int("EMAIL_SWEEP_INTERVAL_SECONDS", default=300)
EMAIL_SWEEP_GRACE_SECONDS = env.int("EMAIL_SWEEP_GRACE_SECONDS", default=600)
# The first retry of a transiently failed email (worker or `notify`) waits about this long,
# doubling each time (notifications.sending).
EMAIL_RETRY_BACKOFF_SECONDS = env.int("EMAIL_RETRY_BACKOFF_SECONDS", default=60)

# --- Logging --------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        name: {"handlers": ["console"], "level": APP_LOG_LEVEL, "propagate": False}
        for name in ("pioneer", "members", "subscriptions", "notifications", "qn_ingest")
    },
}
