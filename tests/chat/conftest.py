import pytest
from django.core import mail

from tests.chat.webhook_sink import WebhookSink

PIONEER_URL = "https://pioneer.example.org"


@pytest.fixture(autouse=True)
def chat_settings(settings):
    """Loopback targets allowed (the sink), emails in mail.outbox, retries due at once."""
    settings.CHAT_ALLOW_PRIVATE_TARGETS = True
    settings.CHAT_SCHEMES = ["discord", "tgram", "slack", "matrixs", "mmosts", "ntfys", "jsons", "json"]
    settings.CHAT_CHANNELS_MAX = 5
    settings.CHAT_DISABLE_AFTER = 5
    settings.EMAIL_MAX_RETRY_COUNT = 3
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PIONEER_URL = PIONEER_URL
    mail.outbox = []
    return settings


@pytest.fixture
def sink():
    with WebhookSink() as webhook_sink:
        yield webhook_sink
