"""Celery tasks for email delivery: thin wrappers that take ids and call the services."""

from __future__ import annotations

import random
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from notifications.delivery import DeliveryOutcome, notification_deliver
from notifications.models import Notification
from notifications.services import delivery_runs_inline, notifications_sweep_pending

RETRY_BACKOFF_MAX_SECONDS = 3600


def retry_countdown(retry_count: int) -> float:
    """Exponential backoff with "equal jitter": half fixed, half random, so a burst of
    failures (a provider outage) does not come back as a burst of retries."""
    base = settings.EMAIL_RETRY_BACKOFF_SECONDS * 2 ** max(retry_count - 1, 0)
    ceiling = min(base, RETRY_BACKOFF_MAX_SECONDS)
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def _schedule_retry(notification_id: int) -> None:
    if delivery_runs_inline():
        # Inline "tasks" would retry at once, in a loop; the next `notify` pass retries instead.
        return
    rows = Notification.objects.filter(id=notification_id)
    countdown = retry_countdown(rows.values_list("retry_count", flat=True).first() or 1)
    # The sweeper treats email_queued_at as "a task should run by then": pointing it at the
    # retry time keeps the sweeper from spending an attempt early on a row that is waiting.
    rows.update(email_queued_at=timezone.now() + timedelta(seconds=countdown))
    deliver_notification.apply_async((notification_id,), countdown=countdown)


@shared_task(name="notifications.deliver_notification", acks_late=True)
def deliver_notification(notification_id: int) -> str:
    outcome = notification_deliver(notification_id=notification_id)
    if outcome == DeliveryOutcome.RETRYING:
        _schedule_retry(notification_id)
    return outcome.value


@shared_task(name="notifications.deliver_notifications", acks_late=True)
def deliver_notifications(notification_ids: list[int]) -> dict[str, int]:
    """One attempt per id; transient failures come back later as single-notification tasks."""
    counts: dict[str, int] = {}
    for notification_id in notification_ids:
        outcome = notification_deliver(notification_id=notification_id)
        if outcome == DeliveryOutcome.RETRYING:
            _schedule_retry(notification_id)
        counts[outcome.value] = counts.get(outcome.value, 0) + 1
    return counts


@shared_task(name="notifications.sweep_pending")
def sweep_pending() -> int:
    """Periodic (beat): re-queue PENDING emails whose task was lost."""
    return notifications_sweep_pending()
