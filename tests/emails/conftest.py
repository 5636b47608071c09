import os

import pytest
import redis
from django.core import mail
from django.core.management import call_command

from tests.emails.providers import PausingBackend, ScriptedBackend
from tests.services import redis_url
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
    ScriptedBackend.call_times = []
    PausingBackend.entered.clear()
    PausingBackend.release.clear()
    mail.outbox = []
    yield settings
    PausingBackend.release.set()


@pytest.fixture
def no_backoff(settings):
    """EMAIL_RETRY_BACKOFF_SECONDS=0: after a transient failure the next attempt is due at once,
    so back-to-back passes (or `notify` runs) each make one attempt."""
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 0


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


@pytest.fixture
def worker(transactional_db, monkeypatch):
    """A real Celery worker thread on the real Redis broker (this test's db number), on a queue
    of this test process's own: parallel test processes (pytest -n) share the Redis database
    and must neither run each other's tasks (against another test database) nor wipe them."""
    url = redis_url()
    from celery.contrib.testing.worker import start_worker

    from pioneer.celery import app

    queue = f"celery-tests-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    monkeypatch.setitem(app.conf, "task_default_queue", queue)
    broker = redis.Redis.from_url(url)
    broker.delete(queue)
    assert not app.conf.task_always_eager
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue]):
        yield app
    broker.delete(queue)


@pytest.fixture
def notify(fake_query_node, capsys):
    """One `notify` cycle (the fake query node has nothing new); returns its output."""

    def run() -> str:
        call_command("notify")
        return capsys.readouterr().out

    return run
