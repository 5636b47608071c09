"""The chat sweeper's beat schedule (EMAIL_SWEEP_INTERVAL_SECONDS gives its first interval)."""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

from pioneer.beat_schedule import on_post_migrate, periodic_task_ensure

CHAT_SWEEP_TASK_NAME = "Chat: re-queue lost deliveries"
CHAT_SWEEP_TASK = "chat.sweep_pending"


def chat_sweep_schedule_ensure(*, using: str = DEFAULT_DB_ALIAS) -> None:
    periodic_task_ensure(
        name=CHAT_SWEEP_TASK_NAME,
        task=CHAT_SWEEP_TASK,
        every_seconds=settings.EMAIL_SWEEP_INTERVAL_SECONDS,
        description="Finds PENDING chat messages whose delivery task was lost and queues them again; "
        "removes channels whose confirmation code expired unconfirmed.",
        using=using,
    )


chat_sweep_schedule_on_post_migrate = on_post_migrate(chat_sweep_schedule_ensure)
