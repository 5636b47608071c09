"""Writes and business rules for notifications."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from members.models import Member
from notifications.delivery import notifications_due
from notifications.digest_hold import held_for_digest
from notifications.dispatch import delivery_batch_enqueue, delivery_runs_inline, lost_task_ids
from notifications.models import EmailStatus, Notification
from pioneer.errors import invalid_input

# Ids per Celery delivery task: at least DELIVERY_TASK_BATCH_SIZE, and more for a large
# hand-off, which is split into DELIVERY_TASK_SPREAD tasks of at most DELIVERY_TASK_MAX_IDS:
# a small hand-off still spreads over the workers, and a large one publishes fewer tasks (each
# publish is about a millisecond inside the ingest's commit: an election's 300,000 emails made
# 6,000 tasks of 50). A lost task strands at most DELIVERY_TASK_MAX_IDS emails until the sweeper
# finds them; the worker claims and leases them 50 at a time (notifications.delivery) either way.
DELIVERY_TASK_BATCH_SIZE = 50
DELIVERY_TASK_MAX_IDS = 500
DELIVERY_TASK_SPREAD = 16


def delivery_task_size(ids: int) -> int:
    """Ids per task when `ids` are handed off together."""
    return min(DELIVERY_TASK_MAX_IDS, max(DELIVERY_TASK_BATCH_SIZE, -(-ids // DELIVERY_TASK_SPREAD)))


def notifications_hand_off_for_delivery(
    *, notification_ids: Iterable[int], marked_queued: bool = False
) -> int:
    """The one hand-off from ingest (and re-queues) to email delivery; returns how many were queued.

    Called inside the transaction that created or reset the rows. With a broker it marks the
    PENDING rows queued (email_queued_at; `marked_queued`: the ingest wrote them so already) and
    sends Celery tasks in batches once that transaction commits (so a worker never looks for
    rows that do not exist yet, and a rollback queues nothing).

    Without a broker it queues nothing on purpose: inline "tasks" would send inside `notify`'s
    ingest and `notify`'s delivery pass would then make a second attempt on every transient
    failure, while docs/api-contract.md "Retry bookkeeping" allows one attempt per notification per run. That
    pass is the delivery path of a broker-less deployment, so nothing waits longer than the
    current `notify` run (or the next one, for re-queues from the admin).
    """
    ids = sorted(set(notification_ids))
    if not ids or delivery_runs_inline():
        return 0
    # The ingest's ids (5,000 a call) were made together, nearly consecutive: they are asked
    # for as the range they span, served by the primary key, instead of a list of 5,000
    # parameters; the range's other rows are left out here. Sparse ids (the sweeper's): a list.
    wanted = set(ids)
    spread = Q(id__range=(ids[0], ids[-1])) if ids[-1] - ids[0] < 2 * len(ids) else Q(id__in=ids)
    pending = [
        notification_id
        for notification_id in Notification.objects.filter(spread, email_status=EmailStatus.PENDING)
        .exclude(held_for_digest())  # digests: a digest sends these
        .order_by("id")
        .values_list("id", flat=True)
        if notification_id in wanted
    ]
    if not marked_queued:
        Notification.objects.filter(id__in=pending).update(email_queued_at=timezone.now())
    size = delivery_task_size(len(pending))
    for start in range(0, len(pending), size):
        batch = pending[start : start + size]
        # robust: a broker outage must not turn a committed ingest into an error; the rows stay
        # PENDING with email_queued_at set, and the sweeper or the next `notify` pass sends them.
        transaction.on_commit(partial(delivery_batch_enqueue, batch), robust=True)
    return len(pending)


def notifications_sweep_pending() -> int:
    """Re-queue PENDING emails whose delivery task was lost (notifications.dispatch.lost_task_ids)."""
    now = timezone.now()
    with transaction.atomic():
        lost = lost_task_ids(notifications_due(now=now), now=now)
        return notifications_hand_off_for_delivery(notification_ids=lost)


def notifications_requeue_failed(*, notification_ids: Iterable[int]) -> int:
    """Give FAILED emails a fresh set of attempts and queue them again."""
    ids = list(notification_ids)
    with transaction.atomic():
        count = Notification.objects.filter(id__in=ids, email_status=EmailStatus.FAILED).update(
            email_status=EmailStatus.PENDING, retry_count=0, last_error="", next_attempt_at=None
        )
        notifications_hand_off_for_delivery(notification_ids=ids)
    return count


# At most this many ids per mark request: enough for any page of the feed (max 500).
MARK_IDS_MAX = 1000


def _ids_checked(ids: Iterable[int]) -> list[int]:
    ids = list(ids)
    if len(ids) > MARK_IDS_MAX:
        raise invalid_input(f"At most {MARK_IDS_MAX} ids can be marked at once")
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
            raise invalid_input("Pass ids, or all: true")
        rows = rows.filter(id__in=_ids_checked(ids))
    return rows.update(is_read=True)


def notifications_mark_unread(*, member: Member, ids: Iterable[int] | None) -> int:
    """Mark the member's given notifications unread; return how many changed."""
    if ids is None:
        raise invalid_input("Pass the ids to mark unread")
    return Notification.objects.filter(member=member, is_read=True, id__in=_ids_checked(ids)).update(
        is_read=False
    )


def notifications_release_for_frequency(*, member: Member) -> int:
    """After a change of the member's email frequency: hand their PENDING emails to one-by-one
    delivery, which sends them (IMMEDIATE), ignores them (NEVER) or leaves them to the digest
    (DAILY, WEEKLY: the hand-off skips held rows). Nothing pending is lost by switching."""
    pending = Notification.objects.filter(member=member, email_status=EmailStatus.PENDING)
    return notifications_hand_off_for_delivery(notification_ids=pending.values_list("id", flat=True))
