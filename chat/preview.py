"""What chat delivery would post now: `notify --dry-run` lists it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from chat.delivery import deliveries_due
from chat.messages import chat_message_for
from chat.models import ChatDelivery, CommunityPost


@dataclass(frozen=True)
class PendingPost:
    destination: str  # who and where, the target masked
    title: str


def chat_posts_due(*, limit: int = 100) -> tuple[list[PendingPost], int]:
    """Up to `limit` due messages (community posts first, then members'), and how many are due."""
    now = timezone.now()
    posts = deliveries_due(CommunityPost, now=now).select_related("channel").order_by("id")
    deliveries = (
        deliveries_due(ChatDelivery, now=now).select_related("channel", "notification").order_by("id")
    )
    total = posts.count() + deliveries.count()
    shown = [
        PendingPost(
            f"community channel {post.channel.label} ({post.channel.target})",
            chat_message_for(post.kind, post.display_data).title,
        )
        for post in posts[:limit]
    ]
    shown += [
        PendingPost(
            f"member {delivery.channel.member_id}, "
            f"channel {delivery.channel.label} ({delivery.channel.target})",
            chat_message_for(delivery.notification.kind, delivery.notification.display_data).title,
        )
        for delivery in deliveries[: max(limit - len(shown), 0)]
    ]
    return shown, total
