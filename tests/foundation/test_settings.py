"""Start-up checks run in a fresh interpreter, as the real processes do."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What `openssl rand -hex 20` prints: random, 40 characters.
STRONG_SECRET = "9f2c4e7a1b8d3f6e0a5c2d9b7e4f1a3c8b6d0e2f"
CHECK = "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_BACKEND)"
ENV_NAMES = (
    "APP_SECRET_KEY",
    "EMAIL_SENDER",
    "EMAIL_URL",
    "EMAIL_PROVIDER",
    "SENDGRID_API_KEY",
    "MAILGUN_API_KEY",
    "MAILGUN_DOMAIN",
    "MAILGUN_API_URL",
    "PIONEER_ENV",
    "INITIAL_MEMBERSHIPS",
    "PUBLIC_URL",
    "ALLOWED_HOSTS",
    "CORS_ALLOWED_ORIGINS",
    "GRAPHQL_EXPLORER",
    "CACHE_URL",
    "GUNICORN_BIND_HOST",
)


def clean_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES and not k.startswith("ANYMAIL_")}
    env.update(DJANGO_SETTINGS_MODULE="pioneer.settings", **overrides)
    return {k: v for k, v in env.items() if v is not None}


def start(**overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=ROOT,
        env=clean_env(**overrides),
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_refused(result: subprocess.CompletedProcess, variable: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # one readable line, no traceback
    assert variable in lines[0]


PRODUCTION_OK = {
    "PIONEER_ENV": "production",
    "APP_SECRET_KEY": STRONG_SECRET,
    "EMAIL_SENDER": "Pioneer <notify@example.org>",
    "SENDGRID_API_KEY": "SG.key",
    "PUBLIC_URL": "https://notify.example.org",
    "ANYMAIL_WEBHOOK_SECRET": "hook:secret",
    "ALLOWED_HOSTS": "notify.example.org,127.0.0.1",
    "CORS_ALLOWED_ORIGINS": "https://pioneerapp.xyz",
}


def test_development_defaults_start_with_console_email():
    result = start()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


def test_production_with_every_secret_starts():
    result = start(**PRODUCTION_OK)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "anymail.backends.sendgrid.EmailBackend"


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"APP_SECRET_KEY": ""}, "APP_SECRET_KEY"),
        ({"APP_SECRET_KEY": "dev-only-insecure-secret-key-change-me"}, "APP_SECRET_KEY"),
        ({"APP_SECRET_KEY": "short"}, "APP_SECRET_KEY"),
        ({"EMAIL_SENDER": ""}, "EMAIL_SENDER"),
        ({"SENDGRID_API_KEY": ""}, "SENDGRID_API_KEY"),
        ({"SENDGRID_API_KEY": "", "EMAIL_URL": "consolemail://"}, "EMAIL_URL"),
        ({"MAILGUN_API_KEY": "key-1", "MAILGUN_DOMAIN": "mg.example.org"}, "MAILGUN_API_KEY"),
        ({"SENDGRID_API_KEY": "", "MAILGUN_API_KEY": "key-1"}, "MAILGUN_DOMAIN"),
        ({"INITIAL_MEMBERSHIPS": "[{oops"}, "INITIAL_MEMBERSHIPS"),
        # Issue 14, finding 9: a key of 34 spaces, or long but repetitive, signed production tokens.
        ({"APP_SECRET_KEY": " " * 34}, "APP_SECRET_KEY"),
        ({"APP_SECRET_KEY": "s" * 48}, "APP_SECRET_KEY"),
        ({"APP_SECRET_KEY": "abcdefgh" * 5}, "APP_SECRET_KEY"),
        ({"PUBLIC_URL": "https://"}, "PUBLIC_URL"),
        ({"PUBLIC_URL": "http://notify.example.org"}, "PUBLIC_URL"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"CORS_ALLOWED_ORIGINS": None}, "CORS_ALLOWED_ORIGINS"),
        ({"RATE_LIMIT_SIGNIN": "sixty a minute"}, "RATE_LIMIT_SIGNIN"),
        ({"RATE_LIMIT_CHAT_CHANNEL_ADDS_PER_MEMBER": "ten"}, "RATE_LIMIT_CHAT_CHANNEL_ADDS_PER_MEMBER"),
        ({"CHAT_CONFIRMATION_TTL_SECONDS": "5"}, "CHAT_CONFIRMATION_TTL_SECONDS"),
        ({"TRUSTED_PROXIES": "proxy.example"}, "TRUSTED_PROXIES"),
    ],
)
def test_production_refuses_unsafe_or_missing_settings(overrides, variable):
    result = start(**{**PRODUCTION_OK, **overrides})
    assert_refused(result, variable)


def test_unknown_environment_name_is_refused():
    assert_refused(start(PIONEER_ENV="staging"), "PIONEER_ENV")


MAILGUN = {"SENDGRID_API_KEY": None, "MAILGUN_API_KEY": "key-1", "MAILGUN_DOMAIN": "mg.example.org"}


def test_production_passes_djangos_deployment_checks_without_a_warning():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        # Mailgun: with SendGrid, Anymail itself warns that it dropped official support.
        env=clean_env(**{**PRODUCTION_OK, **MAILGUN}),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


PRODUCTION_EXPOSURE = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.GRAPHQL_EXPLORER, settings.CORS_ALLOW_ALL_ORIGINS, settings.ALLOWED_HOSTS)"
)


def test_production_hides_the_schema_and_answers_only_listed_origins_and_hosts():
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_EXPOSURE],
        cwd=ROOT,
        env=clean_env(**PRODUCTION_OK),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    explorer, cors_any_origin, hosts = result.stdout.strip().split(maxsplit=2)
    assert (explorer, cors_any_origin, hosts) == ("False", "False", "['notify.example.org', '127.0.0.1']")


def test_gunicorn_binds_to_loopback_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("GUNICORN_BIND_HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)

    config = runpy.run_path(str(ROOT / "pioneer" / "gunicorn.conf.py"))

    assert config["bind"] == "127.0.0.1:3000"
