"""The ingest's beat schedule (NOTIFY_INTERVAL_SECONDS gives its first interval)."""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

from pioneer.beat_schedule import on_post_migrate, periodic_task_ensure

INGEST_TASK_NAME = "Ingest query-node events"
INGEST_TASK = "qn_ingest.tasks.ingest"


def ingest_schedule_ensure(*, using: str = DEFAULT_DB_ALIAS) -> None:
    periodic_task_ensure(
        name=INGEST_TASK_NAME,
        task=INGEST_TASK,
        every_seconds=settings.NOTIFY_INTERVAL_SECONDS,
        description="Reads new query-node events and creates the notifications they produce.",
        using=using,
    )


ingest_schedule_on_post_migrate = on_post_migrate(ingest_schedule_ensure)
