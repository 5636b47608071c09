"""Issue 14, finding 6: retries are spaced by time, and a day-long outage loses nothing.

Retries used to count `notify` runs: four runs a second apart made every email FAILED, and
with a broker the worker's retries and `notify`'s attempt spent one budget together. Now an
email is attempted only when due, by whoever gets its row first, and the default schedule
(EMAIL_RETRY_BACKOFF_SECONDS doubling up to EMAIL_RETRY_BACKOFF_MAX_SECONDS, for the default
EMAIL_MAX_RETRY_COUNT) spans at least a day.
"""

import importlib
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from notifications import dispatch, tasks
from notifications.delivery import DeliveryOutcome, notification_deliver, notifications_deliver_pending
from notifications.models import EmailStatus, Notification
from notifications.samples import sample_data
from notifications.sending import RETRY_ETA_MAX_SECONDS
from tests.emails.providers import ScriptedBackend, esp_api_error
from tests.factories import NotificationFactory

DAY = timedelta(hours=24)
DEFAULTS = importlib.import_module("pioneer.settings")


class Clock:
    """timezone.now() under the test's control."""

    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now


@pytest.mark.django_db
def test_an_outage_of_almost_a_day_loses_no_email_at_the_default_schedule(settings, provider_script):
    settings.EMAIL_RETRY_BACKOFF_SECONDS = DEFAULTS.EMAIL_RETRY_BACKOFF_SECONDS
    settings.EMAIL_RETRY_BACKOFF_MAX_SECONDS = DEFAULTS.EMAIL_RETRY_BACKOFF_MAX_SECONDS
    settings.EMAIL_MAX_RETRY_COUNT = DEFAULTS.EMAIL_MAX_RETRY_COUNT
    notification = NotificationFactory(data=sample_data("FORUM_POST_MENTION"))
    clock = Clock()
    outage_ends = clock.now + DAY - timedelta(minutes=1)

    with mock.patch("django.utils.timezone.now", clock):
        # `notify` runs whenever the email is due (more often changes nothing: it is not due).
        while notification.email_status == EmailStatus.PENDING:
            clock.now = max(clock.now, notification.next_attempt_at or clock.now)
            provider_script[:] = [esp_api_error(503)] if clock.now < outage_ends else []
            notifications_deliver_pending()
            notification.refresh_from_db()

    assert notification.email_status == EmailStatus.SENT
    assert clock.now >= outage_ends
    assert 0 < notification.retry_count <= settings.EMAIL_MAX_RETRY_COUNT


@pytest.mark.django_db
def test_runs_before_the_email_is_due_spend_no_attempt(settings, provider_script):
    notification = NotificationFactory(data=sample_data("FORUM_POST_MENTION"))
    provider_script.extend([esp_api_error(503)] * 4)

    summaries = [notifications_deliver_pending() for _ in range(4)]  # four runs a second apart

    assert [summary.attempted for summary in summaries] == [1, 0, 0, 0]
    notification.refresh_from_db()
    assert (notification.email_status, notification.retry_count) == (EmailStatus.PENDING, 1)


@pytest.mark.django_db
def test_the_worker_and_notify_never_both_attempt_one_due_email(provider_script):
    # Due now: the worker's retry task and `notify`'s pass both chose it.
    notification = NotificationFactory(
        data=sample_data("FORUM_POST_MENTION"),
        retry_count=1,
        next_attempt_at=timezone.now() - timedelta(seconds=1),
    )
    provider_script.extend([esp_api_error(503), esp_api_error(503)])

    first = notification_deliver(notification_id=notification.id)
    second = notification_deliver(notification_id=notification.id)

    assert (first, second) == (DeliveryOutcome.RETRYING, DeliveryOutcome.SKIPPED)
    assert ScriptedBackend.calls == 1
    notification.refresh_from_db()
    assert notification.retry_count == 2


@pytest.mark.django_db
def test_a_wait_longer_than_a_worker_may_hold_is_left_to_the_sweeper(settings, provider_script, monkeypatch):
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 3 * RETRY_ETA_MAX_SECONDS
    settings.EMAIL_RETRY_BACKOFF_MAX_SECONDS = 3 * RETRY_ETA_MAX_SECONDS
    monkeypatch.setattr(dispatch, "delivery_runs_inline", lambda: False)
    queued = []
    monkeypatch.setattr(
        tasks.deliver_notification, "apply_async", lambda *args, **kwargs: queued.append(kwargs)
    )
    notification = NotificationFactory(data=sample_data("FORUM_POST_MENTION"))
    provider_script.append(esp_api_error(503))

    assert tasks.deliver_notification(notification.id) == DeliveryOutcome.RETRYING.value

    row = Notification.objects.get(id=notification.id)
    assert queued == []  # no task waits hours inside a worker, past the broker's visibility timeout
    # The sweeper re-queues rows whose email_queued_at has passed: it is the retry time.
    assert row.email_queued_at == row.next_attempt_at
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=RETRY_ETA_MAX_SECONDS)
