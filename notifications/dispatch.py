"""Handing email delivery to Celery, by task name.

Services enqueue through here instead of importing notifications.tasks: the tasks call the
services, so an import the other way would make the two modules depend on each other.
"""

from __future__ import annotations

from pioneer.celery import app

DELIVER_NOTIFICATION_TASK = "notifications.deliver_notification"
DELIVER_NOTIFICATIONS_TASK = "notifications.deliver_notifications"


def delivery_runs_inline() -> bool:
    """True without a broker (CELERY_BROKER_URL unset): "tasks" would run in this process."""
    return bool(app.conf.task_always_eager)


def delivery_batch_enqueue(notification_ids: list[int]) -> None:
    """Queue one Celery task that makes one delivery attempt per id."""
    app.send_task(DELIVER_NOTIFICATIONS_TASK, args=(notification_ids,))
