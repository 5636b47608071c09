"""From the ingest's new notifications and events to chat delivery rows, and their hand-off.

Called inside the ingest's page transaction, like the email hand-off: the rows are created
with the notifications, and Celery tasks are queued once that transaction commits. Without a
broker nothing is queued: `notify`'s chat pass delivers them in the foreground (one attempt
per row per run, as for email). Unique (notification, channel) and (channel, event) make a
re-read page create nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone

from chat.delivery import deliveries_due
from chat.dispatch import chat_batch_enqueue, community_batch_enqueue
from chat.models import (
    ChannelStatus,
    ChatChannel,
    ChatDelivery,
    CommunityChannel,
    CommunityPost,
    DeliveryStatus,
)
from notifications.dispatch import delivery_runs_inline, lost_task_ids
from notifications.models import Notification
from notifications.presentation import watched_entity_id
from subscriptions.kinds import KINDS, Role, is_entity, kinds_for_event_type
from subscriptions.models import Subscription

INSERT_BATCH_SIZE = 1000
TASK_BATCH_SIZE = 50

# The kinds a community channel may carry: those whose audience is every member.
COMMUNITY_KINDS: tuple[str, ...] = tuple(kind.name for kind in KINDS if kind.role == Role.EVERYONE)


@dataclass(frozen=True)
class CommunityEvent:
    """One ingested event, as a community channel posts it."""

    event_id: str
    event_type: str
    in_block: int
    data: dict


def _hand_off(model, ids: list[int], enqueue) -> None:
    if not ids or delivery_runs_inline():
        return
    model.objects.filter(id__in=ids).update(queued_at=timezone.now())
    for start in range(0, len(ids), TASK_BATCH_SIZE):
        # robust: a broker outage must not undo the ingest; the sweeper finds the rows later.
        transaction.on_commit(partial(enqueue, ids[start : start + TASK_BATCH_SIZE]), robust=True)


def _wants_chat(notification: Notification, choices: dict[tuple[int, str, str | None], bool]) -> bool:
    """The member's chat switch for the kind that reached them (or the watch that matched)."""
    data = notification.display_data
    entity_id = watched_entity_id(data) if is_entity(notification.kind) else None
    key = (notification.member_id, notification.kind, entity_id)
    if key in choices:
        return choices[key]
    # No stored row: an entity kind only reaches a member through a watch; a general kind's default.
    return Subscription(kind=notification.kind, entity_id=entity_id, should_notify=True).by_chat


def chat_deliveries_create(*, notification_ids: Iterable[int]) -> int:
    """One PENDING delivery per new notification and active channel of its member who wants
    that kind by chat; returns how many. A constant number of queries, whatever the count."""
    wanted = set(notification_ids)
    if not wanted:
        return 0
    # Only the notifications of members with an active channel are read (an election reaches
    # every member; few of them have chat). The ingest hands over thousands of new ids at a
    # time, nearly consecutive: they are asked for as the range they span (served by the primary
    # key; a list of thousands of parameters costs more to build, send and plan than the rows it
    # finds), and rows of that range that are not among them are left out here.
    with_chat = ChatChannel.objects.filter(status=ChannelStatus.ACTIVE).values("member_id")
    notifications = [
        notification
        for notification in Notification.objects.filter(
            id__range=(min(wanted), max(wanted)), member_id__in=with_chat
        ).only("id", "member_id", "kind", "data")
        if notification.id in wanted
    ]
    channels: dict[int, list[int]] = defaultdict(list)
    for channel_id, member_id in ChatChannel.objects.filter(
        status=ChannelStatus.ACTIVE, member_id__in={n.member_id for n in notifications}
    ).values_list("id", "member_id"):
        channels[member_id].append(channel_id)
    notifications = [n for n in notifications if n.member_id in channels]
    if not notifications:
        return 0
    choices = {
        (row.member_id, row.kind, row.entity_id): row.by_chat
        for row in Subscription.objects.filter(
            member_id__in={n.member_id for n in notifications}, kind__in={n.kind for n in notifications}
        )
    }
    rows = [
        ChatDelivery(notification_id=notification.id, channel_id=channel_id)
        for notification in notifications
        if _wants_chat(notification, choices)
        for channel_id in channels[notification.member_id]
    ]
    ChatDelivery.objects.bulk_create(rows, batch_size=INSERT_BATCH_SIZE, ignore_conflicts=True)
    created = list(
        ChatDelivery.objects.filter(
            notification_id__in=[row.notification_id for row in rows], status=DeliveryStatus.PENDING
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    _hand_off(ChatDelivery, created, chat_batch_enqueue)
    return len(rows)


def community_channels_active() -> bool:
    return CommunityChannel.objects.filter(status=ChannelStatus.ACTIVE).exists()


def community_posts_create(*, events: Sequence[CommunityEvent]) -> int:
    """One PENDING post per event and active community channel carrying one of its kinds."""
    if not events:
        return 0
    channels = list(CommunityChannel.objects.filter(status=ChannelStatus.ACTIVE).values_list("id", "kinds"))
    rows = []
    for event in events:
        kinds = [kind.name for kind in kinds_for_event_type(event.event_type) if kind.role == Role.EVERYONE]
        for channel_id, carried in channels:
            kind = next((name for name in kinds if name in (carried or ())), None)
            if kind is not None:
                rows.append(
                    CommunityPost(
                        channel_id=channel_id,
                        event_id=event.event_id,
                        kind=kind,
                        in_block=event.in_block,
                        data=event.data,
                    )
                )
    if not rows:
        return 0
    CommunityPost.objects.bulk_create(rows, batch_size=INSERT_BATCH_SIZE, ignore_conflicts=True)
    # Rows of a re-read page may be among them: queuing one twice sends it once (chat.delivery).
    created = list(
        CommunityPost.objects.filter(
            channel_id__in={row.channel_id for row in rows},
            event_id__in={row.event_id for row in rows},
            status=DeliveryStatus.PENDING,
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    _hand_off(CommunityPost, created, community_batch_enqueue)
    return len(rows)


def chat_sweep_pending() -> int:
    """Re-queue PENDING chat messages whose task was lost (as notifications_sweep_pending does
    for emails: notifications.dispatch.lost_task_ids)."""
    now = timezone.now()
    count = 0
    with transaction.atomic():
        for model, enqueue in ((ChatDelivery, chat_batch_enqueue), (CommunityPost, community_batch_enqueue)):
            ids = lost_task_ids(deliveries_due(model, now=now), now=now, queued_at="queued_at")
            _hand_off(model, ids, enqueue)
            count += 0 if delivery_runs_inline() else len(ids)
    return count
