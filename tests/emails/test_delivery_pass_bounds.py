"""Issue 14, finding 7: a hung SMTP server cost `notify` 30 s per pending email, with no
overall bound. A pass now stops after EMAIL_CIRCUIT_BREAKER_FAILURES connection failures in a
row, or after EMAIL_DELIVERY_PASS_BUDGET_SECONDS, leaving the rest PENDING and untouched."""

from io import StringIO

import pytest
from django.core.management import call_command

from notifications.delivery import notifications_deliver_pending
from notifications.models import EmailStatus, Notification
from notifications.samples import sample_data
from tests.factories import NotificationFactory
from tests.silent_server import SilentServer


@pytest.fixture
def hung_smtp(settings):
    """An SMTP server that accepts the connection and never says a word."""
    with SilentServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 0.3
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        yield server


def pending(count: int) -> list[int]:
    return [NotificationFactory(data=sample_data("FORUM_POST_MENTION")).id for _ in range(count)]


def untouched(ids: list[int]) -> int:
    return Notification.objects.filter(id__in=ids, email_status=EmailStatus.PENDING, retry_count=0).count()


@pytest.mark.django_db
def test_the_pass_stops_after_consecutive_connection_failures(hung_smtp, settings):
    settings.EMAIL_CIRCUIT_BREAKER_FAILURES = 3
    ids = pending(6)

    summary = notifications_deliver_pending()

    assert (summary.attempted, summary.retrying) == (3, 3)
    assert summary.stopped.startswith("stopped after 3 connection failures in a row")
    assert untouched(ids) == 3


@pytest.mark.django_db
def test_notify_says_so_in_one_line(hung_smtp, settings, fake_query_node):
    settings.EMAIL_CIRCUIT_BREAKER_FAILURES = 2
    pending(3)
    out = StringIO()

    call_command("notify", stdout=out)

    lines = [line for line in out.getvalue().splitlines() if "connection failures in a row" in line]
    assert len(lines) == 1 and lines[0].startswith("Delivery stopped after 2 connection failures")


@pytest.mark.django_db
def test_the_pass_stops_at_its_time_budget(hung_smtp, settings):
    settings.EMAIL_CIRCUIT_BREAKER_FAILURES = 0  # off: only the budget bounds this pass
    settings.EMAIL_DELIVERY_PASS_BUDGET_SECONDS = 0.5  # each attempt waits 0.3 s for a greeting
    ids = pending(6)

    summary = notifications_deliver_pending()

    assert 1 <= summary.attempted < 6
    assert "time budget of 0.5 s" in summary.stopped
    assert untouched(ids) == 6 - summary.attempted


@pytest.mark.django_db
def test_an_answering_provider_resets_the_breaker(settings, provider_script):
    from tests.emails.providers import esp_api_error

    settings.EMAIL_CIRCUIT_BREAKER_FAILURES = 2
    pending(4)
    # A 503 is an answer (the provider is reachable): it is not a connection failure.
    provider_script.extend([esp_api_error(503), esp_api_error(503), esp_api_error(503)])

    summary = notifications_deliver_pending()

    assert (summary.attempted, summary.stopped) == (4, "")
