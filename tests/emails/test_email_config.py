"""Which email backend the environment selects, and what production refuses at start-up."""

import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest

from pioneer.email_config import EmailConfigError, email_settings_from_env

ROOT = Path(__file__).resolve().parents[2]
EMAIL_ENV = (
    "EMAIL_SENDER",
    "EMAIL_URL",
    "EMAIL_PROVIDER",
    "SENDGRID_API_KEY",
    "MAILGUN_API_KEY",
    "MAILGUN_DOMAIN",
    "MAILGUN_API_URL",
)


@pytest.fixture
def email_env(monkeypatch, tmp_path):
    """Set only the given variables; returns a function computing the email settings."""
    for name in [*EMAIL_ENV, *(k for k in os.environ if k.startswith("ANYMAIL_"))]:
        monkeypatch.delenv(name, raising=False)

    def select(*, production: bool = False, **values: str):
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        return email_settings_from_env(environ.Env(), is_production=production, var_dir=tmp_path)

    return select


def test_sendgrid_key_selects_anymail_sendgrid(email_env):
    chosen = email_env(SENDGRID_API_KEY="SG.key", EMAIL_SENDER="Pioneer <n@example.org>")
    assert chosen.backend == "anymail.backends.sendgrid.EmailBackend"
    assert chosen.anymail == {"SENDGRID_API_KEY": "SG.key"}
    assert chosen.sender == "Pioneer <n@example.org>"


def test_mailgun_eu_domain(email_env):
    chosen = email_env(
        MAILGUN_API_KEY="key-1",
        MAILGUN_DOMAIN="mg.example.org",
        MAILGUN_API_URL="https://api.eu.mailgun.net/v3",
    )
    assert chosen.backend == "anymail.backends.mailgun.EmailBackend"
    assert chosen.anymail == {
        "MAILGUN_API_KEY": "key-1",
        "MAILGUN_SENDER_DOMAIN": "mg.example.org",
        "MAILGUN_API_URL": "https://api.eu.mailgun.net/v3",
    }


def test_any_anymail_esp_through_email_provider(email_env):
    chosen = email_env(EMAIL_PROVIDER="Postmark", ANYMAIL_POSTMARK_SERVER_TOKEN="pm-token")
    assert chosen.backend == "anymail.backends.postmark.EmailBackend"
    assert chosen.anymail == {"POSTMARK_SERVER_TOKEN": "pm-token"}
    assert email_env(EMAIL_PROVIDER="amazon_ses").backend == "anymail.backends.amazon_ses.EmailBackend"


def test_email_url_smtp_console_and_file(email_env, tmp_path):
    smtp = email_env(EMAIL_URL="smtp+tls://user:pw@smtp.example.org:587")
    assert smtp.backend == "django.core.mail.backends.smtp.EmailBackend"
    assert smtp.django_settings["EMAIL_HOST"] == "smtp.example.org"
    assert smtp.django_settings["EMAIL_PORT"] == 587 and smtp.django_settings["EMAIL_USE_TLS"]
    assert smtp.django_settings["EMAIL_TIMEOUT"] == 30
    assert email_env(EMAIL_URL="consolemail://").backend == "django.core.mail.backends.console.EmailBackend"
    file_based = email_env(EMAIL_URL=f"filemail://{tmp_path}/out")
    assert file_based.backend == "django.core.mail.backends.filebased.EmailBackend"
    assert Path(file_based.django_settings["EMAIL_FILE_PATH"]) == tmp_path / "out"  # absolute, as written
    assert (tmp_path / "out").is_dir()


def test_file_email_paths_relative_to_the_project_and_the_var_default(email_env, tmp_path):
    # email_env's var_dir is tmp_path, so the "project" is its parent.
    assert email_env(EMAIL_URL="filemail://").django_settings["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
    relative = email_env(EMAIL_URL=f"filemail://{tmp_path.name}/relative")
    assert relative.django_settings["EMAIL_FILE_PATH"] == str(tmp_path / "relative")


def test_an_esp_key_wins_over_email_url(email_env):
    chosen = email_env(SENDGRID_API_KEY="SG.key", EMAIL_URL="smtp://localhost:25")
    assert chosen.backend == "anymail.backends.sendgrid.EmailBackend"


def test_nothing_configured_is_the_console_in_development(email_env):
    chosen = email_env()
    assert chosen.backend == "django.core.mail.backends.console.EmailBackend"
    assert "@" in chosen.sender


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"SENDGRID_API_KEY": "SG.key", "MAILGUN_API_KEY": "key-1"}, ("SENDGRID_API_KEY", "MAILGUN_API_KEY")),
        ({"EMAIL_PROVIDER": "mailgun", "SENDGRID_API_KEY": "SG.key"}, ("EMAIL_PROVIDER", "SENDGRID_API_KEY")),
        ({"EMAIL_PROVIDER": "sendgrid", "MAILGUN_API_KEY": "k", "MAILGUN_DOMAIN": "d"}, ("MAILGUN_API_KEY",)),
        ({"EMAIL_PROVIDER": "carrier-pigeon"}, ("EMAIL_PROVIDER",)),
        ({"EMAIL_PROVIDER": "postmark"}, ("ANYMAIL_POSTMARK_",)),
        ({"MAILGUN_API_KEY": "key-1"}, ("MAILGUN_DOMAIN",)),
        ({"MAILGUN_DOMAIN": "mg.example.org"}, ("MAILGUN_API_KEY",)),
        (
            {
                "MAILGUN_API_KEY": "k",
                "MAILGUN_DOMAIN": "d",
                "MAILGUN_API_URL": "http://api.eu.mailgun.net/v3",
            },
            ("MAILGUN_API_URL",),
        ),
        ({"EMAIL_URL": "nonsense"}, ("EMAIL_URL",)),
        ({"EMAIL_SENDER": "nobody"}, ("EMAIL_SENDER",)),
    ],
)
def test_contradictory_or_incomplete_settings_are_refused(email_env, values, named):
    with pytest.raises(EmailConfigError) as error:
        email_env(**values)
    for name in named:
        assert name in str(error.value)


# --- production start-up, in a fresh interpreter as the real processes start -----------------

CHECK = "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_BACKEND)"
PRODUCTION = {
    "PIONEER_ENV": "production",
    "APP_SECRET_KEY": "k7Q2xw9LmP4vR8tZ3nB6yH1cF5jD0sG2aE7uW4qX",
    "EMAIL_SENDER": "Pioneer <notify@example.org>",
    "PUBLIC_URL": "https://notify.example.org",
    "ANYMAIL_WEBHOOK_SECRET": "hook:secret",
    "ALLOWED_HOSTS": "notify.example.org",
    "CORS_ALLOWED_ORIGINS": "https://pioneerapp.xyz",
}


def start(**overrides: str) -> subprocess.CompletedProcess:
    names = {*EMAIL_ENV, "APP_SECRET_KEY", "PIONEER_ENV", "PUBLIC_URL", "INITIAL_MEMBERSHIPS"}
    env = {k: v for k, v in os.environ.items() if k not in names and not k.startswith("ANYMAIL_")}
    env.update(DJANGO_SETTINGS_MODULE="pioneer.settings", **PRODUCTION)
    env.update(overrides)
    env = {k: v for k, v in env.items() if v is not None}
    command = [sys.executable, "-c", CHECK]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("overrides", "backend"),
    [
        (
            {"MAILGUN_API_KEY": "k", "MAILGUN_DOMAIN": "mg.example.org"},
            "anymail.backends.mailgun.EmailBackend",
        ),
        (
            {"EMAIL_PROVIDER": "postmark", "ANYMAIL_POSTMARK_SERVER_TOKEN": "t"},
            "anymail.backends.postmark.EmailBackend",
        ),
        ({"EMAIL_URL": "smtp://smtp.example.org:25"}, "django.core.mail.backends.smtp.EmailBackend"),
    ],
)
def test_production_starts_with_a_real_provider(overrides, backend):
    result = start(**overrides)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({}, "no email provider"),
        ({"EMAIL_URL": "filemail:///tmp/mail"}, "EMAIL_URL"),
        ({"SENDGRID_API_KEY": "SG.key", "MAILGUN_API_KEY": "k", "MAILGUN_DOMAIN": "d"}, "MAILGUN_API_KEY"),
        ({"SENDGRID_API_KEY": "SG.key", "EMAIL_SENDER": None}, "EMAIL_SENDER"),
        ({"SENDGRID_API_KEY": "SG.key", "PUBLIC_URL": None}, "PUBLIC_URL"),
        ({"SENDGRID_API_KEY": "SG.key", "PUBLIC_URL": "http://notify.example.org"}, "PUBLIC_URL"),
    ],
)
def test_production_refuses_to_start_with_one_readable_line(overrides, named):
    result = start(**overrides)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert named in lines[0]
