"""The email sweeper's beat schedule, created once and then owned by operators (admin).

get_or_create, never update: an interval an operator changed in the admin survives every
deploy and `migrate`. EMAIL_SWEEP_INTERVAL_SECONDS only sets the first value.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

SWEEP_TASK_NAME = "Email: re-queue lost deliveries"
SWEEP_TASK = "notifications.sweep_pending"


def sweep_schedule_ensure(*, using: str = DEFAULT_DB_ALIAS) -> None:
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    interval, _ = IntervalSchedule.objects.using(using).get_or_create(
        every=max(settings.EMAIL_SWEEP_INTERVAL_SECONDS, 1), period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.using(using).get_or_create(
        name=SWEEP_TASK_NAME,
        defaults={
            "task": SWEEP_TASK,
            "interval": interval,
            "description": "Finds PENDING emails whose delivery task was lost and queues them again.",
        },
    )


def sweep_schedule_on_post_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    # `migrate` of a single app, or a database without beat's tables yet: nothing to do.
    tables = connections[using].introspection.table_names()
    if "django_celery_beat_periodictask" not in tables or "django_celery_beat_intervalschedule" not in tables:
        return
    sweep_schedule_ensure(using=using)
