"""Start-up checks run in a fresh interpreter, as the real processes do."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_SECRET = "s" * 48
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
)


def start(**overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES and not k.startswith("ANYMAIL_")}
    env.update(DJANGO_SETTINGS_MODULE="pioneer.settings", **overrides)
    return subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
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
    ],
)
def test_production_refuses_unsafe_or_missing_settings(overrides, variable):
    result = start(**{**PRODUCTION_OK, **overrides})
    assert_refused(result, variable)


def test_unknown_environment_name_is_refused():
    assert_refused(start(PIONEER_ENV="staging"), "PIONEER_ENV")
