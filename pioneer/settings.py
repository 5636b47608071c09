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
from pioneer.settings_checks import (
    django_secret_key,
    https_url_problem,
    rate_is_valid,
    retry_count_spanning,
    secret_key_problem,
    trusted_proxy_networks,
)

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

APP_SECRET_KEY = env.str("APP_SECRET_KEY", default=DEV_SECRET_KEY)
if IS_PRODUCTION:
    _secret_problem = secret_key_problem(APP_SECRET_KEY, dev_key=DEV_SECRET_KEY)
    if _secret_problem:
        _refuse_to_start(f"APP_SECRET_KEY {_secret_problem} when PIONEER_ENV=production")
# Member tokens are signed with APP_SECRET_KEY itself (tokens of the old backend stay valid);
# Django's own signing (sessions, unsubscribe links) uses a key derived from it, long enough
# for `manage.py check --deploy` whatever length the operator's key has.
SECRET_KEY = django_secret_key(APP_SECRET_KEY)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["*"])
if IS_PRODUCTION and (not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS):
    _refuse_to_start("ALLOWED_HOSTS must list this service's host names when PIONEER_ENV=production")

# --- Pioneer-specific settings (names kept from the TypeScript backend) -------
# The default retry schedule of emails spans at least this long (EMAIL_MAX_RETRY_COUNT below).
EMAIL_RETRY_SPAN_SECONDS = 24 * 3600
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
# Deadline reminders (docs/kinds/reminders.md): a Joystream node to read the head and the stage
# durations from; unset, the vendored runtime metadata and a head estimated from the query node.
CHAIN_RPC_URL = env.str("CHAIN_RPC_URL", default="").strip()
if CHAIN_RPC_URL and not CHAIN_RPC_URL.startswith(("ws://", "wss://", "http://", "https://")):
    _refuse_to_start("CHAIN_RPC_URL must start with ws://, wss://, http:// or https://")
CHAIN_RPC_TIMEOUT_SECONDS = env.float("CHAIN_RPC_TIMEOUT_SECONDS", default=10.0)
# How long before a stage ends its reminder goes out.
REMINDER_LEAD_HOURS = env.float("REMINDER_LEAD_HOURS", default=24.0)
if REMINDER_LEAD_HOURS <= 0:
    _refuse_to_start("REMINDER_LEAD_HOURS must be a positive number of hours")
NOTIFY_INTERVAL_SECONDS = env.int("NOTIFY_INTERVAL_SECONDS", default=60)
# Events per page: each page costs a few fixed queries and one transaction, and its notifications
# are streamed in bounded chunks (qn_ingest.bulk_write), so large pages are cheap in memory.
INGEST_PAGE_SIZE = env.int("INGEST_PAGE_SIZE", default=500)
EMAIL_VERIFICATION_TTL_DAYS = env.int("EMAIL_VERIFICATION_TTL_DAYS", default=7)
# Lifetime of the links to the preferences page in every email (/preferences/<token>).
PREFERENCES_LINK_DAYS = env.int("PREFERENCES_LINK_DAYS", default=30)
if PREFERENCES_LINK_DAYS < 1:
    _refuse_to_start("PREFERENCES_LINK_DAYS must be at least 1")
AUTH_TOKEN_TTL_DAYS = env.int("AUTH_TOKEN_TTL_DAYS", default=90)
# How many accounts one member may watch (votes cast from them count as the member's).
WATCHED_ACCOUNTS_MAX = env.int("WATCHED_ACCOUNTS_MAX", default=20)
if WATCHED_ACCOUNTS_MAX < 0:
    _refuse_to_start("WATCHED_ACCOUNTS_MAX must not be negative")

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
    "preferences",
    "chat",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, with a health check that costs no round trip on a live connection.
    DATABASES["default"]["ENGINE"] = "pioneer.db_backends.postgresql"
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
# They are also the only origins a verification link may point to besides PIONEER_URL.
CORS_ALLOWED_ORIGINS = [origin.rstrip("/") for origin in env.list("CORS_ALLOWED_ORIGINS", default=[])]
if IS_PRODUCTION and not CORS_ALLOWED_ORIGINS:
    _refuse_to_start(
        "CORS_ALLOWED_ORIGINS must list the Pioneer origins (e.g. https://pioneerapp.xyz) "
        "when PIONEER_ENV=production"
    )
CORS_ALLOW_ALL_ORIGINS = not CORS_ALLOWED_ORIGINS
CORS_URLS_REGEX = r"^/(graphql/?)?$"

if IS_PRODUCTION:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
    # What `manage.py check --deploy` asks for. The health check calls /healthz over plain
    # http from inside the container, so it is not redirected.
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# --- Limits (README "Guarantees") ----------------------------------------------
# Django's cache. When CACHE_URL names Redis (redis://host:6379/1), shared by every process,
# the rate limits count in it too; otherwise they count in their own table
# (pioneer/rate_limit_windows.py) and this is the database cache (table pioneer_cache).
CACHE_URL = env.str("CACHE_URL", default="dbcache://pioneer_cache")
CACHES = {"default": env.cache_url_config(CACHE_URL)}
RATELIMIT_CACHE_PREFIX = "pioneer-rl:"
# The feed's answers (pioneer/graphql_feed_cache.py): in the same Redis when CACHE_URL names one,
# else in each process's memory (never the database: a hit costs one query, the version's).
FEED_CACHE_TTL_SECONDS = env.int("FEED_CACHE_TTL_SECONDS", default=60)
if CACHES["default"]["BACKEND"].startswith("django.core.cache.backends.redis"):
    CACHES["feed"] = {**CACHES["default"], "KEY_PREFIX": "pioneer-feed"}
else:
    CACHES["feed"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pioneer-feed"}
# Proxies (addresses or networks) whose X-Forwarded-For names the client; nobody else's is read.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
try:
    TRUSTED_PROXY_NETWORKS = trusted_proxy_networks(TRUSTED_PROXIES)
except ValueError as exc:
    _refuse_to_start(f"TRUSTED_PROXIES: {exc}")


# Per client address: signin and signup together, and memberExist.
RATE_LIMIT_SIGNIN = env.str("RATE_LIMIT_SIGNIN", default="60/m").strip()
RATE_LIMIT_MEMBER_EXIST = env.str("RATE_LIMIT_MEMBER_EXIST", default="600/m").strip()
# Verification emails (signup with an email, updateMember with a new one).
RATE_LIMIT_VERIFICATION_EMAILS_PER_MEMBER = env.str(
    "RATE_LIMIT_VERIFICATION_EMAILS_PER_MEMBER", default="5/h"
).strip()
RATE_LIMIT_VERIFICATION_EMAILS_PER_ADDRESS = env.str(
    "RATE_LIMIT_VERIFICATION_EMAILS_PER_ADDRESS", default="3/d"
).strip()
# Chat confirmation codes (addChatChannel sends one through the target each time).
RATE_LIMIT_CHAT_CHANNEL_ADDS_PER_MEMBER = env.str(
    "RATE_LIMIT_CHAT_CHANNEL_ADDS_PER_MEMBER", default="10/h"
).strip()
RATE_LIMIT_CHAT_CONFIRMATIONS_PER_TARGET = env.str(
    "RATE_LIMIT_CHAT_CONFIRMATIONS_PER_TARGET", default="5/d"
).strip()
for _name in (
    "RATE_LIMIT_SIGNIN",
    "RATE_LIMIT_MEMBER_EXIST",
    "RATE_LIMIT_VERIFICATION_EMAILS_PER_MEMBER",
    "RATE_LIMIT_VERIFICATION_EMAILS_PER_ADDRESS",
    "RATE_LIMIT_CHAT_CHANNEL_ADDS_PER_MEMBER",
    "RATE_LIMIT_CHAT_CONFIRMATIONS_PER_TARGET",
):
    if not rate_is_valid(globals()[_name]):
        _refuse_to_start(f"{_name} must be a rate such as 60/m, 5/h or 3/d (empty: no limit)")

# What one GraphQL request may cost (pioneer/graphql_view.py, pioneer/graphql_limits.py).
GRAPHQL_MAX_BODY_BYTES = env.int("GRAPHQL_MAX_BODY_BYTES", default=100_000)
# Parsing costs some 20-50 µs a token (the GIL is held meanwhile); introspection is 183 tokens.
GRAPHQL_MAX_TOKENS = env.int("GRAPHQL_MAX_TOKENS", default=1000)
# Checked before parsing: a document over it costs nothing to refuse. 20 characters a token
# leaves room for indentation and long names (Pioneer's documents are a few KB).
GRAPHQL_MAX_QUERY_CHARS = env.int("GRAPHQL_MAX_QUERY_CHARS", default=20 * GRAPHQL_MAX_TOKENS)
# GraphiQL's own introspection query nests 15 deep.
GRAPHQL_MAX_DEPTH = env.int("GRAPHQL_MAX_DEPTH", default=20)
GRAPHQL_MAX_ALIASES = env.int("GRAPHQL_MAX_ALIASES", default=30)
GRAPHQL_REQUEST_TIME_BUDGET_SECONDS = env.float("GRAPHQL_REQUEST_TIME_BUDGET_SECONDS", default=10.0)
# GraphiQL, introspection and "Did you mean" suggestions: for developers, off in production.
GRAPHQL_EXPLORER = env.bool("GRAPHQL_EXPLORER", default=not IS_PRODUCTION)
# Django's own cap on a body read into memory (the admin's forms; GraphQL has the one above).
DATA_UPLOAD_MAX_MEMORY_SIZE = max(GRAPHQL_MAX_BODY_BYTES, 1_000_000)
# signin/signup wait on the query node while a person and a server thread wait: all attempts
# together end within this many seconds.
QUERY_NODE_SIGNIN_DEADLINE_SECONDS = env.float("QUERY_NODE_SIGNIN_DEADLINE_SECONDS", default=5.0)
# After such a lookup found the node unavailable, sign-ins fail at once for this long (0: never).
QUERY_NODE_SIGNIN_COOLDOWN_SECONDS = env.float("QUERY_NODE_SIGNIN_COOLDOWN_SECONDS", default=10.0)
# Sign-in lookups one API process lets wait on the query node at once; more fail at once, so a
# hung node leaves the other threads (GUNICORN_THREADS, 4) to other requests.
QUERY_NODE_SIGNIN_MAX_CONCURRENT = env.int("QUERY_NODE_SIGNIN_MAX_CONCURRENT", default=2)
if QUERY_NODE_SIGNIN_MAX_CONCURRENT < 1:
    _refuse_to_start("QUERY_NODE_SIGNIN_MAX_CONCURRENT must be at least 1")

# --- GraphQL --------------------------------------------------------------------
GRAPHENE = {
    "SCHEMA": "pioneer.schema.schema",
    # Off: each service opens its own transaction around its writes. A transaction around the
    # whole mutation would also span signin/signup's query-node lookup, and on SQLite (BEGIN
    # IMMEDIATE) hold the write lock for those seconds, stalling every other writer.
    "ATOMIC_MUTATIONS": False,
    "MIDDLEWARE": ["pioneer.graphql_view.ArgumentGuardMiddleware"],
}
GRAPHQL_JWT = {
    "JWT_SECRET_KEY": APP_SECRET_KEY,
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
PUBLIC_URL = env.str("PUBLIC_URL", default=f"http://localhost:{PORT}").strip().rstrip("/")
if IS_PRODUCTION:
    _public_url_problem = https_url_problem(env.str("PUBLIC_URL", default="").strip())
    if _public_url_problem:
        _refuse_to_start(
            f"PUBLIC_URL must be this service's public https:// URL when PIONEER_ENV=production "
            f"({_public_url_problem})"
        )

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
# waits out its countdown (up to notifications.sending.RETRY_ETA_MAX_SECONDS, 1 hour) inside the
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
# The longest wait between two attempts (the doubling stops there). Waits longer than
# EMAIL_RETRY_ETA_MAX_SECONDS are not held by the worker but picked up by the sweeper.
EMAIL_RETRY_BACKOFF_MAX_SECONDS = env.int("EMAIL_RETRY_BACKOFF_MAX_SECONDS", default=3600)
# Transient failures tolerated before an email is FAILED. By default as many as it takes for
# the schedule above to span a day: an outage shorter than that loses no email.
EMAIL_MAX_RETRY_COUNT = env.int(
    "EMAIL_MAX_RETRY_COUNT",
    default=retry_count_spanning(
        seconds=EMAIL_RETRY_SPAN_SECONDS,
        first=EMAIL_RETRY_BACKOFF_SECONDS,
        cap=EMAIL_RETRY_BACKOFF_MAX_SECONDS,
    ),
)
# A delivery pass of `notify` stops after this many seconds, or after this many connection
# failures in a row (the provider is down: the rest wait for the next run, still PENDING).
EMAIL_DELIVERY_PASS_BUDGET_SECONDS = env.float("EMAIL_DELIVERY_PASS_BUDGET_SECONDS", default=120.0)
EMAIL_CIRCUIT_BREAKER_FAILURES = env.int("EMAIL_CIRCUIT_BREAKER_FAILURES", default=3)
# A batch of notification emails claimed for delivery is held this long per email
# (notifications.delivery_lease): well over the send timeout, so its sender never outlives it;
# after a crash, the batch's emails not sent yet wait this long per email.
EMAIL_CLAIM_LEASE_SECONDS = env.float("EMAIL_CLAIM_LEASE_SECONDS", default=90.0)
# Without a broker the API sends a verification email itself, once, waiting at most this long.
EMAIL_IN_REQUEST_TIMEOUT_SECONDS = env.float("EMAIL_IN_REQUEST_TIMEOUT_SECONDS", default=5.0)
# Hour (UTC) of the daily digest, and of the weekly one on Mondays: the first value of their
# beat schedules (the admin can change them later).
DIGEST_HOUR_UTC = env.int("DIGEST_HOUR_UTC", default=8)
if not 0 <= DIGEST_HOUR_UTC <= 23:
    _refuse_to_start("DIGEST_HOUR_UTC must be an hour from 0 to 23")

# --- Chat channels (chat/, through Apprise) ----------------------------------------
# Apprise URL schemes members and operators may use; `json` (plain-http webhooks) only outside production.
_CHAT_SCHEMES_DEFAULT = ["discord", "tgram", "slack", "matrixs", "mmosts", "ntfys", "jsons"]
CHAT_SCHEMES = [
    scheme.strip().lower().removesuffix("://")
    for scheme in env.list(
        "CHAT_SCHEMES", default=_CHAT_SCHEMES_DEFAULT + ([] if IS_PRODUCTION else ["json"])
    )
    if scheme.strip()
]
# Allows targets on loopback and private networks (tests, a self-hosted bridge on the same network).
CHAT_ALLOW_PRIVATE_TARGETS = env.bool("CHAT_ALLOW_PRIVATE_TARGETS", default=False)
CHAT_CHANNELS_MAX = env.int("CHAT_CHANNELS_MAX", default=5)
# How long a confirmation code is good for; an expired one removes its PENDING channel.
CHAT_CONFIRMATION_TTL_SECONDS = env.int("CHAT_CONFIRMATION_TTL_SECONDS", default=3600)
if CHAT_CONFIRMATION_TTL_SECONDS < 60:
    _refuse_to_start("CHAT_CONFIRMATION_TTL_SECONDS must be at least 60")
# Failed sends in a row (retries included) after which a channel is disabled.
CHAT_DISABLE_AFTER = max(1, env.int("CHAT_DISABLE_AFTER", default=5))
# Fernet key(s) for the channel URLs at rest; unset: derived from APP_SECRET_KEY (chat.secrets).
CHAT_ENCRYPTION_KEY = env.str("CHAT_ENCRYPTION_KEY", default="")
if CHAT_ENCRYPTION_KEY:
    from cryptography.fernet import Fernet

    try:
        for _key in filter(None, (part.strip() for part in CHAT_ENCRYPTION_KEY.split(","))):
            Fernet(_key)
    except ValueError:
        _refuse_to_start(
            "CHAT_ENCRYPTION_KEY must be Fernet keys (32 url-safe base64-encoded bytes), comma-separated"
        )

# --- Logging --------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    # Django logs the path of refused requests: link tokens in it are credentials.
    "filters": {"redact_tokens": {"()": "pioneer.log_redaction.RedactTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line", "filters": ["redact_tokens"]},
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        **{
            name: {"handlers": ["console"], "level": APP_LOG_LEVEL, "propagate": False}
            for name in (
                "pioneer",
                "members",
                "subscriptions",
                "notifications",
                "qn_ingest",
                "preferences",
                "chat",
            )
        },
        # Django's own loggers through the redacting handler only: its default console handler
        # (DEBUG) would print refused paths, tokens included. runserver's request lines too.
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Apprise's own log may quote a channel's token: chat.sending captures it for the
        # channel's lastError (secrets removed) and logs its own line instead.
        "apprise": {"handlers": ["null"], "level": "WARNING", "propagate": False},
        # urllib3's debug lines quote request paths, where webhook URLs carry their tokens.
        "urllib3": {"level": "WARNING"},
    },
}
