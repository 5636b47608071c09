"""Celery tasks for email delivery: thin wrappers that take ids and call the services."""

from __future__ import annotations

from celery import shared_task

from members.verification_emails import verification_emails_sweep_pending
from notifications.delivery import DeliveryOutcome, notification_deliver, notifications_deliver
from notifications.dispatch import (
    DELIVER_NOTIFICATION_TASK,
    DELIVER_NOTIFICATIONS_TASK,
    retry_schedule,
)
from notifications.models import Notification
from notifications.services import notifications_sweep_pending


def _schedule_retry(notification_id: int) -> None:
    retry_schedule(
        Notification.objects.filter(id=notification_id),
        lambda due: deliver_notification.apply_async((notification_id,), eta=due),
    )


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
    """Periodic (beat): re-queue PENDING emails whose task was lost, or whose retry is due and
    was too far off for a worker to hold: notification and verification emails."""
    return notifications_sweep_pending() + verification_emails_sweep_pending()
