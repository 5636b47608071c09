"""Celery tasks for email delivery: thin wrappers that take ids and call the services."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from notifications.delivery import DeliveryOutcome, notification_deliver, notifications_deliver
from notifications.dispatch import (
    DELIVER_NOTIFICATION_TASK,
    DELIVER_NOTIFICATIONS_TASK,
    delivery_runs_inline,
)
from notifications.models import Notification
from notifications.sending import RETRY_ETA_MAX_SECONDS
from notifications.services import notifications_sweep_pending


def _schedule_retry(notification_id: int) -> None:
    if delivery_runs_inline():
        # Inline "tasks" would retry at once, ignoring the delay; the next due `notify` pass retries.
        return
    rows = Notification.objects.filter(id=notification_id)
    due = rows.values_list("next_attempt_at", flat=True).first()
    if due is None:
        return
    # The sweeper treats email_queued_at as "a task should run by then": pointing it at the
    # retry time keeps the sweeper from spending an attempt early on a row that is waiting.
    rows.update(email_queued_at=due)
    if (due - timezone.now()).total_seconds() > RETRY_ETA_MAX_SECONDS:
        return  # too long for the worker to hold: the sweeper queues it once it is due
    deliver_notification.apply_async((notification_id,), eta=due)


@shared_task(name=DELIVER_NOTIFICATION_TASK, acks_late=True)
def deliver_notification(notification_id: int) -> str:
    outcome = notification_deliver(notification_id=notification_id)
    if outcome == DeliveryOutcome.RETRYING:
        _schedule_retry(notification_id)
    return outcome.value


@shared_task(name=DELIVER_NOTIFICATIONS_TASK, acks_late=True)
def deliver_notifications(notification_ids: list[int]) -> dict[str, int]:
    """One attempt per id over one provider connection; transient failures come back later as
    single-notification tasks."""
    counts: dict[str, int] = {}
    for notification_id, outcome in notifications_deliver(notification_ids=notification_ids):
        if outcome == DeliveryOutcome.RETRYING:
            _schedule_retry(notification_id)
        counts[outcome.value] = counts.get(outcome.value, 0) + 1
    return counts


@shared_task(name="notifications.sweep_pending")
def sweep_pending() -> int:
    """Periodic (beat): re-queue PENDING emails whose task was lost."""
    return notifications_sweep_pending()
