"""Choose the email backend from the environment.

Order: an ESP through Anymail (SendGrid, Mailgun, or any other Anymail ESP named by
EMAIL_PROVIDER with its ANYMAIL_* keys), else EMAIL_URL (SMTP, console, file),
else the console in development. Production refuses to start without a real
provider or without EMAIL_SENDER.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import unquote, urlparse

import environ

DEV_SENDER = "Pioneer Notify <notifications@localhost>"

# Anymail ESPs selectable with EMAIL_PROVIDER (module names under anymail.backends).
ANYMAIL_PROVIDERS = (
    "amazon_ses",
    "brevo",
    "mailersend",
    "mailgun",
    "mailjet",
    "mailtrap",
    "mandrill",
    "postal",
    "postmark",
    "resend",
    "scaleway",
    "sendgrid",
    "sparkpost",
    "unisender_go",
)

# Backends that never reach a person's inbox: fine for development, refused in production.
LOCAL_ONLY_BACKENDS = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
)


# Providers that can authenticate without ANYMAIL_* keys (Amazon SES uses boto3's own credentials).
CREDENTIAL_FREE_PROVIDERS = ("amazon_ses",)


class EmailConfigError(Exception):
    """A one-line explanation of what is wrong with the email settings."""


@dataclass(frozen=True)
class EmailSettings:
    backend: str
    sender: str
    provider_name: str
    anymail: dict = field(default_factory=dict)
    django_settings: dict = field(default_factory=dict)


def _anymail_keys_from_env(environ_map) -> dict:
    """ANYMAIL_POSTMARK_SERVER_TOKEN=x becomes ANYMAIL={"POSTMARK_SERVER_TOKEN": "x"}."""
    return {
        name.removeprefix("ANYMAIL_"): value
        for name, value in environ_map.items()
        if name.startswith("ANYMAIL_") and value
    }


def _has_provider_keys(anymail: dict, provider: str) -> bool:
    prefix = f"{provider.upper()}_"
    return any(name.startswith(prefix) for name in anymail)


def _file_mail_dir(email_url: str, var_dir: Path) -> Path:
    """`filemail:///srv/mail` is the absolute /srv/mail (django-environ would drop the slash and
    write into the working directory); `filemail://mail` is relative to the project; a bare
    `filemail://` is var/mail."""
    parsed = urlparse(email_url)
    raw = unquote(parsed.netloc + parsed.path)
    if not raw.strip("/"):
        return var_dir / "mail"
    path = Path(raw)
    return path if path.is_absolute() else var_dir.parent / path


def _check_webhook_secret(anymail: dict, *, is_production: bool) -> None:
    """The provider's tracking webhooks (bounces, complaints) are open to anyone without it:
    a forged "bounce" would stop a member's email."""
    secret = anymail.get("WEBHOOK_SECRET", "")
    if is_production and not secret:
        raise EmailConfigError(
            "ANYMAIL_WEBHOOK_SECRET (user:password for the provider's webhooks) must be set "
            "with an email provider when PIONEER_ENV=production"
        )
    if secret and ":" not in secret:
        raise EmailConfigError("ANYMAIL_WEBHOOK_SECRET must look like user:password (HTTP basic auth)")


def email_settings_from_env(env: environ.Env, *, is_production: bool, var_dir: Path) -> EmailSettings:
    sendgrid_key = env.str("SENDGRID_API_KEY", default="")
    mailgun_key = env.str("MAILGUN_API_KEY", default="")
    mailgun_domain = env.str("MAILGUN_DOMAIN", default="")
    provider = env.str("EMAIL_PROVIDER", default="").strip().lower()
    email_url = env.str("EMAIL_URL", default="")
    sender = env.str("EMAIL_SENDER", default="")

    if is_production and not sender:
        raise EmailConfigError("EMAIL_SENDER must be set when PIONEER_ENV=production")
    if sender and "@" not in parseaddr(sender)[1]:
        raise EmailConfigError(f"EMAIL_SENDER={sender!r} is not an address like Pioneer <notify@example.org>")
    sender = sender or DEV_SENDER

    if sendgrid_key and mailgun_key:
        raise EmailConfigError("SENDGRID_API_KEY and MAILGUN_API_KEY are both set: choose one email provider")
    if provider and provider not in ANYMAIL_PROVIDERS:
        raise EmailConfigError(
            f"EMAIL_PROVIDER={provider!r} is not an Anymail ESP; use one of {', '.join(ANYMAIL_PROVIDERS)}"
        )
    # An explicit EMAIL_PROVIDER must agree with the key that is set, or the key would silently win.
    if provider and sendgrid_key and provider != "sendgrid":
        raise EmailConfigError(f"EMAIL_PROVIDER={provider} conflicts with SENDGRID_API_KEY: choose one")
    if provider and mailgun_key and provider != "mailgun":
        raise EmailConfigError(f"EMAIL_PROVIDER={provider} conflicts with MAILGUN_API_KEY: choose one")
    if mailgun_domain and not mailgun_key and provider != "mailgun":
        raise EmailConfigError("MAILGUN_DOMAIN is set without MAILGUN_API_KEY")

    anymail = _anymail_keys_from_env(os.environ)
    if sendgrid_key:
        provider = "sendgrid"
        anymail["SENDGRID_API_KEY"] = sendgrid_key
    elif mailgun_key or provider == "mailgun":
        if mailgun_key and not mailgun_domain:
            raise EmailConfigError("MAILGUN_DOMAIN must be set together with MAILGUN_API_KEY")
        provider = "mailgun"
        if mailgun_key:
            anymail["MAILGUN_API_KEY"] = mailgun_key
        if mailgun_domain:
            anymail["MAILGUN_SENDER_DOMAIN"] = mailgun_domain
        api_url = env.str("MAILGUN_API_URL", default="").strip()
        if api_url:
            if not api_url.startswith("https://"):
                raise EmailConfigError(
                    "MAILGUN_API_URL must be an https:// URL (https://api.eu.mailgun.net/v3 for EU domains)"
                )
            anymail["MAILGUN_API_URL"] = api_url
    if provider and provider not in CREDENTIAL_FREE_PROVIDERS and not _has_provider_keys(anymail, provider):
        # Anymail would only complain at the first send; say it at start-up instead.
        prefix = f"ANYMAIL_{provider.upper()}_"
        raise EmailConfigError(f"EMAIL_PROVIDER={provider} needs its {prefix}... settings (Anymail docs)")
    if provider:
        _check_webhook_secret(anymail, is_production=is_production)
        return EmailSettings(
            backend=f"anymail.backends.{provider}.EmailBackend",
            sender=sender,
            provider_name=provider,
            anymail=anymail,
        )

    if email_url:
        try:
            config = environ.Env.email_url_config(email_url)
        except Exception as exc:  # django-environ raises ImproperlyConfigured / ValueError
            raise EmailConfigError(f"EMAIL_URL is not a valid email URL ({exc})") from exc
        backend = config.pop("EMAIL_BACKEND")
        if is_production and backend in LOCAL_ONLY_BACKENDS:
            raise EmailConfigError(
                "EMAIL_URL points to a local-only backend: set SENDGRID_API_KEY, MAILGUN_API_KEY, "
                "EMAIL_PROVIDER or an smtp:// EMAIL_URL when PIONEER_ENV=production"
            )
        if backend == "django.core.mail.backends.filebased.EmailBackend":
            config["EMAIL_FILE_PATH"] = str(_file_mail_dir(email_url, var_dir))
        if config.get("EMAIL_FILE_PATH"):
            Path(config["EMAIL_FILE_PATH"]).mkdir(parents=True, exist_ok=True)
        config.setdefault("EMAIL_TIMEOUT", 30)
        name = "smtp" if "smtp" in backend else backend.rsplit(".", 2)[-2]
        return EmailSettings(backend=backend, sender=sender, provider_name=name, django_settings=config)

    if is_production:
        raise EmailConfigError(
            "no email provider: set SENDGRID_API_KEY, MAILGUN_API_KEY + MAILGUN_DOMAIN, "
            "EMAIL_PROVIDER, or EMAIL_URL when PIONEER_ENV=production"
        )
    return EmailSettings(
        backend="django.core.mail.backends.console.EmailBackend", sender=sender, provider_name="console"
    )
