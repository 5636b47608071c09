import pytest
from django.core import mail

from tests.emails.providers import PausingBackend, ScriptedBackend
from tests.smtp_sink import SmtpSink

PUBLIC_URL = "https://notify.example.org"
PIONEER_URL = "https://pioneer.example.org"
SCRIPTED_BACKEND = "tests.emails.providers.ScriptedBackend"


@pytest.fixture(autouse=True)
def email_settings(settings):
    """Anymail's test backend as the ESP; fixed public URLs so links can be asserted exactly."""
    settings.EMAIL_BACKEND = SCRIPTED_BACKEND
    settings.PUBLIC_URL = PUBLIC_URL
    settings.PIONEER_URL = PIONEER_URL
    settings.EMAIL_MAX_RETRY_COUNT = 3
    settings.EMAIL_UNSUBSCRIBE_MAILTO = ""
    settings.DEFAULT_FROM_EMAIL = "Pioneer Notify <notify@example.org>"
    ScriptedBackend.script = []
    ScriptedBackend.calls = 0
    PausingBackend.entered.clear()
    PausingBackend.release.clear()
    mail.outbox = []
    yield settings
    PausingBackend.release.set()


@pytest.fixture
def provider_script():
    """Queue what the ESP answers to the next sends (exception or None for accepted)."""
    return ScriptedBackend.script


@pytest.fixture
def smtp_sink(settings):
    with SmtpSink() as sink:
        for name, value in sink.django_settings().items():
            setattr(settings, name, value)
        yield sink


@pytest.fixture
def inline_tasks(monkeypatch):
    """No broker: Celery "tasks" run in the calling process (the default deployment)."""
    from pioneer.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    return app
