"""The email sweeper's beat schedule (EMAIL_SWEEP_INTERVAL_SECONDS gives its first interval)."""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

from pioneer.beat_schedule import on_post_migrate, periodic_task_ensure

SWEEP_TASK_NAME = "Email: re-queue lost deliveries"
SWEEP_TASK = "notifications.sweep_pending"


def sweep_schedule_ensure(*, using: str = DEFAULT_DB_ALIAS) -> None:
    periodic_task_ensure(
        name=SWEEP_TASK_NAME,
        task=SWEEP_TASK,
        every_seconds=settings.EMAIL_SWEEP_INTERVAL_SECONDS,
        description="Finds PENDING emails whose delivery task was lost and queues them again.",
        using=using,
    )


sweep_schedule_on_post_migrate = on_post_migrate(sweep_schedule_ensure)
