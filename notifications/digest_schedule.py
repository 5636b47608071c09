"""The digests' beat schedules: daily at DIGEST_HOUR_UTC, weekly at that hour on Mondays."""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

from members.models import EmailFrequency
from pioneer.beat_schedule import crontab_task_ensure, on_post_migrate

DIGEST_TASK = "notifications.send_digests"
DAILY_DIGEST_TASK_NAME = "Email: daily digest"
WEEKLY_DIGEST_TASK_NAME = "Email: weekly digest"


def digest_schedules_ensure(*, using: str = DEFAULT_DB_ALIAS) -> None:
    crontab_task_ensure(
        name=DAILY_DIGEST_TASK_NAME,
        task=DIGEST_TASK,
        hour=settings.DIGEST_HOUR_UTC,
        day_of_week="*",
        kwargs={"frequency": EmailFrequency.DAILY.value},
        description="Sends the daily digest to every member on DAILY with pending notifications.",
        using=using,
    )
    crontab_task_ensure(
        name=WEEKLY_DIGEST_TASK_NAME,
        task=DIGEST_TASK,
        hour=settings.DIGEST_HOUR_UTC,
        day_of_week="1",
        kwargs={"frequency": EmailFrequency.WEEKLY.value},
        description="Sends the weekly digest (Mondays) to every member on WEEKLY with pending notifications.",
        using=using,
    )


digest_schedules_on_post_migrate = on_post_migrate(digest_schedules_ensure)
