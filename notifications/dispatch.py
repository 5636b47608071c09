"""Handing email delivery to Celery, by task name.

Services enqueue through here instead of importing notifications.tasks: the tasks call the
services, so an import the other way would make the two modules depend on each other.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from notifications.sending import RETRY_ETA_MAX_SECONDS
from pioneer.celery import app

DELIVER_NOTIFICATION_TASK = "notifications.deliver_notification"
DELIVER_NOTIFICATIONS_TASK = "notifications.deliver_notifications"
# Rows one sweep re-queues at most.
SWEEP_MAX_ROWS = 5000


def delivery_runs_inline() -> bool:
    """True without a broker (CELERY_BROKER_URL unset): "tasks" would run in this process."""
    return bool(app.conf.task_always_eager)


def delivery_batch_enqueue(notification_ids: list[int]) -> None:
    """Queue one Celery task that makes one delivery attempt per id."""
    app.send_task(DELIVER_NOTIFICATIONS_TASK, args=(notification_ids,))


def retry_schedule(rows: QuerySet, enqueue: Callable[[datetime], None]) -> None:
    """After a transient failure in a worker: queue the retry of the row in `rows` (a
    notification, a verification email) for its next_attempt_at with `enqueue(eta)`.

    The sweeper treats email_queued_at as "a task should run by then": pointing it at the retry
    time keeps the sweeper from spending an attempt early on a row that is waiting. A wait
    longer than a worker may hold a task is left to the sweeper, which queues it once due.
    Inline "tasks" would retry at once, ignoring the delay: the next due `notify` pass retries.
    """
    if delivery_runs_inline():
        return
    due = rows.values_list("next_attempt_at", flat=True).first()
    if due is None:
        return
    rows.update(email_queued_at=due)
    if (due - timezone.now()).total_seconds() > RETRY_ETA_MAX_SECONDS:
        return
    enqueue(due)


def lost_task_ids(due: QuerySet, *, now: datetime, queued_at: str = "email_queued_at") -> list[int]:
    """The ids among `due` (rows whose attempt is due: emails, chat messages) whose task was lost
    (broker restart, worker killed), oldest first, SWEEP_MAX_ROWS at most: it should have run more
    than EMAIL_SWEEP_GRACE_SECONDS ago (the `queued_at` field), or the row was never queued and is
    older than that. A row whose next attempt is not due yet is waiting, not lost."""
    cutoff = now - timedelta(seconds=settings.EMAIL_SWEEP_GRACE_SECONDS)
    lost = Q(**{f"{queued_at}__lt": cutoff}) | Q(**{f"{queued_at}__isnull": True, "created_at__lt": cutoff})
    return list(due.filter(lost).order_by("id").values_list("id", flat=True)[:SWEEP_MAX_ROWS])
