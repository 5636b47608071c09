"""Writes and business rules for notifications."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from notifications.models import EmailStatus, Notification


def notifications_hand_off_for_delivery(*, notification_ids: Iterable[int]) -> None:
    """The one hand-off from ingest (and re-queues) to email delivery.

    Called inside the transaction that created or reset the rows; the delivery side
    queues its tasks on commit. Connected to the Celery delivery tasks by the email issue.
    """
    ids = list(notification_ids)
    if not ids:
        return


def notifications_requeue_failed(*, notification_ids: Iterable[int]) -> int:
    """Give FAILED emails a fresh set of attempts and queue them again."""
    ids = list(notification_ids)
    with transaction.atomic():
        count = Notification.objects.filter(id__in=ids, email_status=EmailStatus.FAILED).update(
            email_status=EmailStatus.PENDING, retry_count=0, last_error=""
        )
        notifications_hand_off_for_delivery(notification_ids=ids)
    return count
