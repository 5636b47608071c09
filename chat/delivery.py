"""Chat delivery: one message per delivery row, exactly once, as email delivery does it.

A `ChatDelivery` (notification → member channel) or `CommunityPost` (event → community
channel) is attempted by `chat_delivery_attempt` / `community_post_attempt`, the one place
each is sent; the Celery tasks and `notify`'s foreground pass both call them. As in
notifications.delivery, the row lock (select_for_update, skip_locked) is held while the
service is called, so a second worker, a re-delivered task or the sweeper passes by instead
of posting twice; retries follow notifications.sending's rule (EMAIL_MAX_RETRY_COUNT,
EMAIL_RETRY_BACKOFF_SECONDS, next_attempt_at).

A channel whose sends fail CHAT_DISABLE_AFTER times in a row (retries included) is disabled:
its waiting messages are marked failed, and a member's channel brings its member one email.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from chat.messages import chat_message_for
from chat.models import ChannelStatus, ChatDelivery, CommunityPost, DeliveryBase, DeliveryStatus
from chat.secrets import url_decrypt
from chat.sending import ChatMessage, ChatSendError, chat_send
from notifications.sending import email_retry_delay

logger = logging.getLogger(__name__)

DELIVERY_BATCH_SIZE = 100
CHANNEL_DISABLED_ERROR = "not sent: the channel was disabled after failing sends"


class ChatOutcome(StrEnum):
    SENT = "SENT"
    RETRYING = "RETRYING"  # failed, still PENDING, retry_count incremented
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"  # not PENDING any more, or another worker holds it right now


@dataclass(frozen=True)
class ChatSummary:
    attempted: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class _Route:
    """What differs between a member's and a community channel's messages."""

    model: type[DeliveryBase]
    related: tuple[str, ...]
    message: Callable[[DeliveryBase], ChatMessage]
    name: str
    on_disabled: Callable[[int], None] | None = None


def _member_message(delivery: ChatDelivery) -> ChatMessage:
    notification = delivery.notification
    return chat_message_for(notification.kind, notification.display_data)


def _community_message(post: CommunityPost) -> ChatMessage:
    return chat_message_for(post.kind, post.display_data)


def _member_channel_disabled(channel_id: int) -> None:
    from chat.disabled_email import channel_disabled_email_send

    channel_disabled_email_send(channel_id=channel_id)


MEMBER_ROUTE = _Route(
    ChatDelivery, ("channel", "notification"), _member_message, "Chat", _member_channel_disabled
)
COMMUNITY_ROUTE = _Route(CommunityPost, ("channel",), _community_message, "Community post")


def deliveries_due(model: type[DeliveryBase], *, now: datetime) -> QuerySet:
    return model.objects.filter(status=DeliveryStatus.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def _fail(row: DeliveryBase, error: str) -> ChatOutcome:
    row.status = DeliveryStatus.FAILED
    row.last_error = error
    row.next_attempt_at = None
    row.save(update_fields=["status", "last_error", "next_attempt_at"])
    return ChatOutcome.FAILED


def _record_failure(row: DeliveryBase, error: ChatSendError) -> ChatOutcome:
    delay = email_retry_delay(error, retries_so_far=row.retry_count)
    if delay is None:
        return _fail(row, str(error))
    row.last_error = str(error)
    row.retry_count += 1
    row.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    row.save(update_fields=["retry_count", "last_error", "next_attempt_at"])
    return ChatOutcome.RETRYING


def _channel_failed(route: _Route, row: DeliveryBase, error: ChatSendError) -> bool:
    """Count the failure on the channel; True when it has just been disabled (by this call only)."""
    channels = type(row.channel).objects.filter(id=row.channel_id)
    channels.update(consecutive_failures=F("consecutive_failures") + 1, last_error=str(error))
    disabled = channels.filter(
        status=ChannelStatus.ACTIVE, consecutive_failures__gte=settings.CHAT_DISABLE_AFTER
    ).update(status=ChannelStatus.DISABLED)
    if disabled:
        # Rows another worker holds right now are left to it: it finds the channel disabled.
        waiting = (
            route.model.objects.select_for_update(skip_locked=True)
            .filter(channel_id=row.channel_id, status=DeliveryStatus.PENDING)
            .exclude(id=row.id)
            .values_list("id", flat=True)
        )
        route.model.objects.filter(id__in=list(waiting)).update(
            status=DeliveryStatus.FAILED, last_error=CHANNEL_DISABLED_ERROR, next_attempt_at=None
        )
    return bool(disabled)


def _attempt(route: _Route, row_id: int) -> tuple[ChatOutcome, DeliveryBase | None]:
    with transaction.atomic():
        row = (
            route.model.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(*route.related)
            .filter(id=row_id)
            .first()
        )
        if row is None or row.status != DeliveryStatus.PENDING:
            return ChatOutcome.SKIPPED, None
        channel = row.channel
        if channel.status != ChannelStatus.ACTIVE:
            return _fail(row, CHANNEL_DISABLED_ERROR), row
        try:
            chat_send(url=url_decrypt(channel.url_encrypted), message=route.message(row))
        except Exception as exc:  # also a key that no longer opens the URL, or a rendering bug
            error = exc if isinstance(exc, ChatSendError) else ChatSendError(f"{type(exc).__name__}: {exc}")
            outcome = _record_failure(row, error)
            if _channel_failed(route, row, error):
                outcome = _fail(row, str(error))
                logger.warning(
                    "%s channel %s (%s) disabled: %s", route.name, channel.id, channel.target, error
                )
                if route.on_disabled is not None:
                    transaction.on_commit(partial(route.on_disabled, channel.id), robust=True)
            elif type(channel).objects.filter(id=channel.id).exclude(status=ChannelStatus.ACTIVE).exists():
                outcome = _fail(row, CHANNEL_DISABLED_ERROR)  # disabled meanwhile by another worker
            return outcome, row
        row.status = DeliveryStatus.SENT
        row.sent_at = timezone.now()
        row.next_attempt_at = None
        row.save(update_fields=["status", "sent_at", "next_attempt_at"])
        type(channel).objects.filter(id=channel.id).update(consecutive_failures=0)
        return ChatOutcome.SENT, row


def _deliver(route: _Route, row_id: int) -> ChatOutcome:
    """One attempt; logs the outcome, the row and its channel's masked target, never the URL."""
    started = time.monotonic()
    outcome, row = _attempt(route, row_id)
    if row is not None:
        logger.info(
            "%s %s: row %s to %s, retry count %s, in %.2fs",
            route.name,
            outcome.value,
            row.id,
            row.channel.target,
            row.retry_count,
            time.monotonic() - started,
        )
    return outcome


def chat_delivery_attempt(*, delivery_id: int) -> ChatOutcome:
    """One attempt for one member-channel message; safe to call any number of times, concurrently."""
    return _deliver(MEMBER_ROUTE, delivery_id)


def community_post_attempt(*, post_id: int) -> ChatOutcome:
    """One attempt for one community-channel post; safe to call any number of times, concurrently."""
    return _deliver(COMMUNITY_ROUTE, post_id)


_ATTEMPTS = frozenset({ChatOutcome.SENT, ChatOutcome.RETRYING, ChatOutcome.FAILED})


def chat_summary_add(summary: ChatSummary, outcome: ChatOutcome) -> ChatSummary:
    field = outcome.value.lower()
    return replace(
        summary, attempted=summary.attempted + (outcome in _ATTEMPTS), **{field: getattr(summary, field) + 1}
    )


def _pass(route: _Route, summary: ChatSummary) -> ChatSummary:
    """One attempt per due row existing when the pass starts, ids upwards in batches."""
    due: QuerySet = deliveries_due(route.model, now=timezone.now())
    last_id = due.order_by("-id").values_list("id", flat=True).first()
    after = 0
    while last_id is not None:
        batch = list(
            due.filter(id__gt=after, id__lte=last_id)
            .order_by("id")
            .values_list("id", flat=True)[:DELIVERY_BATCH_SIZE]
        )
        if not batch:
            break
        for row_id in batch:
            summary = chat_summary_add(summary, _deliver(route, row_id))
        after = batch[-1]
    return summary


def chat_deliver_pending() -> ChatSummary:
    """The foreground pass of `notify`: every due member-channel message, then every due community post."""
    return _pass(COMMUNITY_ROUTE, _pass(MEMBER_ROUTE, ChatSummary()))
