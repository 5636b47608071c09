import pytest
from django.core import mail

from notifications.delivery import notification_deliver
from notifications.models import EmailStatus, Notification
from notifications.samples import sample_data
from tests.deliverability.esp_api import MAILGUN_DOMAIN, EspApi
from tests.deliverability.payloads import MAILGUN_SIGNING_KEY, WEBHOOK_SECRET
from tests.factories import NotificationFactory

# SendGrid's Anymail views and backend warn on every use that Anymail no longer tests SendGrid.
QUIET_SENDGRID = pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailNotSupportedWarning")


@pytest.fixture(autouse=True)
def deliverability_settings(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": WEBHOOK_SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_SIGNING_KEY}
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.EMAIL_SOFT_BOUNCE_LIMIT = 3
    settings.PUBLIC_URL = "https://notify.example.org"
    settings.DEFAULT_FROM_EMAIL = "Pioneer Notify <notify@example.org>"
    mail.outbox = []
    return settings


@pytest.fixture
def esp_api():
    with EspApi() as api:
        yield api


@pytest.fixture
def sendgrid(settings, esp_api):
    """Send through Anymail's real SendGrid backend, to the local SendGrid API."""
    settings.EMAIL_BACKEND = "anymail.backends.sendgrid.EmailBackend"
    settings.ANYMAIL = {
        **settings.ANYMAIL,
        "SENDGRID_API_KEY": "SG.test",
        "SENDGRID_API_URL": f"{esp_api.url}/v3/",
    }
    return esp_api


@pytest.fixture
def mailgun(settings, esp_api):
    """Send through Anymail's real Mailgun backend, to the local Mailgun API."""
    settings.EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
    settings.ANYMAIL = {
        **settings.ANYMAIL,
        "MAILGUN_API_KEY": "key-test",
        "MAILGUN_SENDER_DOMAIN": MAILGUN_DOMAIN,
        "MAILGUN_API_URL": f"{esp_api.url}/v3",
    }
    return esp_api


def pending_email(member) -> Notification:
    return NotificationFactory(member=member, kind="FORUM_POST_REPLY", data=sample_data("FORUM_POST_REPLY"))


def sent_email(member) -> Notification:
    """A notification emailed through the configured backend; returns it with its message id."""
    notification = pending_email(member)
    notification_deliver(notification_id=notification.id)
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT and notification.provider_message_id
    return notification
