"""The webhook secret at start-up: an ESP in production needs it, and it must be user:password."""

import os

import environ
import pytest

from pioneer.email_config import EmailConfigError, email_settings_from_env

SENDGRID = {"SENDGRID_API_KEY": "SG.key", "EMAIL_SENDER": "Pioneer <notify@example.org>"}


@pytest.fixture
def env(monkeypatch, tmp_path):
    anymail = [name for name in os.environ if name.startswith("ANYMAIL_")]
    for name in [*SENDGRID, "EMAIL_URL", "EMAIL_PROVIDER", "MAILGUN_API_KEY", "MAILGUN_DOMAIN", *anymail]:
        monkeypatch.delenv(name, raising=False)

    def select(*, production: bool, **values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        return email_settings_from_env(environ.Env(), is_production=production, var_dir=tmp_path)

    return select


def test_production_with_an_esp_refuses_to_start_without_the_webhook_secret(env):
    with pytest.raises(EmailConfigError, match="ANYMAIL_WEBHOOK_SECRET"):
        env(production=True, **SENDGRID)


def test_the_secret_reaches_anymail(env):
    chosen = env(production=True, ANYMAIL_WEBHOOK_SECRET="hook:secret", **SENDGRID)
    assert chosen.anymail["WEBHOOK_SECRET"] == "hook:secret"


def test_development_needs_no_secret(env):
    assert "WEBHOOK_SECRET" not in env(production=False, **SENDGRID).anymail


def test_smtp_has_no_webhooks_and_needs_no_secret(env):
    smtp = env(production=True, EMAIL_URL="smtp://smtp.example.org:25", EMAIL_SENDER=SENDGRID["EMAIL_SENDER"])
    assert smtp.backend == "django.core.mail.backends.smtp.EmailBackend"


def test_a_secret_that_is_not_user_password_is_refused(env):
    with pytest.raises(EmailConfigError, match="user:password"):
        env(production=False, ANYMAIL_WEBHOOK_SECRET="just-a-password", **SENDGRID)
