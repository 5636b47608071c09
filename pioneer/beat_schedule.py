"""Periodic tasks that a fresh install gets from `migrate`, then owned by operators (admin).

get_or_create, never update: an interval an operator changed (or a task they disabled) in
the admin survives every deploy and `migrate`. The settings only give the first value.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections

BEAT_TABLES = (
    "django_celery_beat_periodictask",
    "django_celery_beat_intervalschedule",
    "django_celery_beat_crontabschedule",
)


def periodic_task_ensure(
    *, name: str, task: str, every_seconds: int, description: str, using: str = DEFAULT_DB_ALIAS
) -> None:
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    interval, _ = IntervalSchedule.objects.using(using).get_or_create(
        every=max(every_seconds, 1), period=IntervalSchedule.SECONDS
    )
    PeriodicTask.objects.using(using).get_or_create(
        name=name, defaults={"task": task, "interval": interval, "description": description}
    )


def crontab_task_ensure(
    *,
    name: str,
    task: str,
    hour: int,
    day_of_week: str,
    description: str,
    kwargs: dict,
    using: str = DEFAULT_DB_ALIAS,
) -> None:
    """A task run at minute 0 of `hour` (UTC) on `day_of_week` ("*" for every day, "1" for Mondays)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
        minute="0",
        hour=str(hour),
        day_of_week=day_of_week,
        day_of_month="*",
        month_of_year="*",
        timezone="UTC",
    )
    PeriodicTask.objects.using(using).get_or_create(
        name=name,
        defaults={"task": task, "crontab": crontab, "kwargs": json.dumps(kwargs), "description": description},
    )


def on_post_migrate(ensure: Callable[..., None]) -> Callable[..., None]:
    """A post_migrate receiver calling `ensure(using=...)` once beat's tables exist."""

    def receiver(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
        # `migrate` of a single app, or a database without beat's tables yet: nothing to do.
        if set(BEAT_TABLES) <= set(connections[using].introspection.table_names()):
            ensure(using=using)

    return receiver
