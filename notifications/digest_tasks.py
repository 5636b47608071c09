"""The digests' Celery task, run by beat (notifications.digest_schedule): thin, it calls the service."""

from __future__ import annotations

from celery import shared_task

from notifications.digests import digests_send


@shared_task(name="notifications.send_digests")
def send_digests(frequency: str) -> dict[str, int]:
    """Scheduled: at most one digest per member and period, however many beat instances run."""
    return digests_send(frequency=frequency, scheduled=True).as_dict()
