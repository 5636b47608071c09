"""Writes and business rules for notifications."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from members.models import Member
from notifications.models import EmailStatus, Notification


def notifications_hand_off_for_delivery(*, notification_ids: Iterable[int]) -> None:
    """The one hand-off from ingest (and re-queues) to email delivery.

    Called inside the transaction that created or reset the rows; the delivery side
    queues its tasks on commit. Connected to the Celery delivery tasks by the email issue.
    """
    ids = list(notification_ids)
    if not ids:
        return


def notifications_requeue_failed(*, notification_ids: Iterable[int]) -> int:
    """Give FAILED emails a fresh set of attempts and queue them again."""
    ids = list(notification_ids)
    with transaction.atomic():
        count = Notification.objects.filter(id__in=ids, email_status=EmailStatus.FAILED).update(
            email_status=EmailStatus.PENDING, retry_count=0, last_error=""
        )
        notifications_hand_off_for_delivery(notification_ids=ids)
    return count


# At most this many ids per mark request: enough for any page of the feed (max 500).
MARK_IDS_MAX = 1000


class NotificationInputError(ValueError):
    """The client's input is unusable; the message is safe to show."""


def _ids_checked(ids: Iterable[int]) -> list[int]:
    ids = list(ids)
    if len(ids) > MARK_IDS_MAX:
        raise NotificationInputError(f"At most {MARK_IDS_MAX} ids can be marked at once")
    return ids


def notifications_mark_read(
    *, member: Member, ids: Iterable[int] | None = None, all_notifications: bool = False
) -> int:
    """Mark the member's notifications read (the given ids, or all); return how many changed.

    Ids of other members' notifications match nothing, so they are ignored.
    """
    rows = Notification.objects.filter(member=member, is_read=False)
    if not all_notifications:
        if ids is None:
            raise NotificationInputError("Pass ids, or all: true")
        rows = rows.filter(id__in=_ids_checked(ids))
    return rows.update(is_read=True)


def notifications_mark_unread(*, member: Member, ids: Iterable[int] | None) -> int:
    """Mark the member's given notifications unread; return how many changed."""
    if ids is None:
        raise NotificationInputError("Pass the ids to mark unread")
    return Notification.objects.filter(member=member, is_read=True, id__in=_ids_checked(ids)).update(
        is_read=False
    )
