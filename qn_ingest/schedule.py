"""The ingest's beat schedule, created once and then owned by operators (admin).

get_or_create, never update: an interval an operator changed (or a task they disabled) in
the admin survives every deploy and `migrate`. NOTIFY_INTERVAL_SECONDS only sets the first value.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

INGEST_TASK_NAME = "Ingest query-node events"
INGEST_TASK = "qn_ingest.tasks.ingest"


def ingest_schedule_ensure(*, using: str = DEFAULT_DB_ALIAS) -> None:
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    interval, _ = IntervalSchedule.objects.using(using).get_or_create(
        every=max(settings.NOTIFY_INTERVAL_SECONDS, 1), period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.using(using).get_or_create(
        name=INGEST_TASK_NAME,
        defaults={
            "task": INGEST_TASK,
            "interval": interval,
            "description": "Reads new query-node events and creates the notifications they produce.",
        },
    )


def ingest_schedule_on_post_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    # `migrate` of a single app, or a database without beat's tables yet: nothing to do.
    tables = connections[using].introspection.table_names()
    if "django_celery_beat_periodictask" not in tables or "django_celery_beat_intervalschedule" not in tables:
        return
    ingest_schedule_ensure(using=using)
