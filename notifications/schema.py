"""GraphQL for the in-app feed: notifications, notificationsCount, mark read/unread.

`notifications` keeps the TypeScript backend's arguments (docs/api-contract.md, "GraphQL schema") and adds
limit/offset; the Notification type adds what a front-end needs to render the feed.
"""

from __future__ import annotations

import graphene

from notifications import selectors, services
from notifications.models import Notification
from pioneer.errors import invalid_input
from pioneer.graphql import member_id_required, member_required
from subscriptions.graphql_enums import NotificationEmailStatusEnum, NotificationKindEnum, enum_value
from subscriptions.kinds import ENTITY_ID_MAX_LENGTH
from subscriptions.services import has_control_characters

EVENT_ID_MAX_LENGTH = Notification._meta.get_field("event_id").max_length


class NotificationType(graphene.ObjectType):
    """Resolved from notifications.feed_row.FeedRow by attribute, field by field: message and link too."""

    id = graphene.Int(required=True, description="Notification id")
    kind = graphene.Field(NotificationKindEnum, required=True, description="Why the member got it")
    event_id = graphene.String(required=True, description="Id of the query-node event")
    entity_id = graphene.String(
        description="The post id (post events), thread id (new threads) or event id (elections)"
    )
    email_status = graphene.Field(
        NotificationEmailStatusEnum, required=True, description="Where the email of this notification stands"
    )
    is_read = graphene.Boolean(required=True, description="Whether the member has marked it read")
    created_at = graphene.DateTime(required=True, description="When it was created (ISO 8601, UTC)")
    in_block = graphene.Int(required=True, description="Block of the event on chain")
    message = graphene.String(
        required=True, description='One line for the feed, e.g. "alice replied to your post in Thread title"'
    )
    link = graphene.String(required=True, description="Where it leads in Pioneer (the same URL as the email)")

    class Meta:
        name = "Notification"
        description = "One notification for the member about one on-chain event"


def _id_filter(value: str | None) -> int | None:
    """The contract types the id filter as String; it must hold a decimal notification id."""
    if value is None:
        return None
    text = value.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise invalid_input("id must be a decimal notification id")
    return int(text)


def _bounded(name: str, value: str | None, max_length: int) -> str | None:
    if value is not None and len(value) > max_length:
        raise invalid_input(f"{name} must be at most {max_length} characters")
    if value is not None and has_control_characters(value):
        raise invalid_input(f"{name} must not contain control characters")
    return value


class NotificationQueries(graphene.ObjectType):
    notifications = graphene.List(
        NotificationType,
        id=graphene.String(description="Only the notification with this id"),
        kind=NotificationKindEnum(description="Only this kind"),
        event_id=graphene.String(description="Only notifications of this query-node event"),
        entity_id=graphene.String(description="Only notifications about this entity"),
        email_status=NotificationEmailStatusEnum(description="Only this email status"),
        is_read=graphene.Boolean(description="Only read (true) or unread (false) notifications"),
        limit=graphene.Int(
            description=(
                f"Page size: default {selectors.FEED_LIMIT_DEFAULT}, larger values are capped "
                f"at {selectors.FEED_LIMIT_MAX}; must not be negative"
            )
        ),
        offset=graphene.Int(description="How many of the newest to skip (default 0); must not be negative"),
        description="The member's notifications, newest first (requires auth)",
    )
    notifications_count = graphene.Int(
        required=True,
        is_read=graphene.Boolean(description="Count only read (true) or unread (false) notifications"),
        kind=NotificationKindEnum(description="Count only this kind"),
        description="How many notifications the member has, e.g. unread ones for a badge (requires auth)",
    )

    @staticmethod
    @member_id_required
    def resolve_notifications(
        root,
        info,
        member_id,
        id=None,
        kind=None,
        event_id=None,
        entity_id=None,
        email_status=None,
        is_read=None,
        limit=None,
        offset=None,
    ):
        return selectors.notifications_for_member(
            member_id=member_id,
            id=_id_filter(id),
            kind=enum_value(kind),
            event_id=_bounded("eventId", event_id, EVENT_ID_MAX_LENGTH),
            entity_id=_bounded("entityId", entity_id, ENTITY_ID_MAX_LENGTH),
            email_status=enum_value(email_status),
            is_read=is_read,
            limit=limit,
            offset=offset,
        )

    @staticmethod
    @member_id_required
    def resolve_notifications_count(root, info, member_id, is_read=None, kind=None):
        return selectors.notifications_count_for_member(
            member_id=member_id, is_read=is_read, kind=enum_value(kind)
        )


class NotificationMutations(graphene.ObjectType):
    mark_notifications_as_read = graphene.Int(
        required=True,
        ids=graphene.List(graphene.NonNull(graphene.Int), description="Ids of the member's notifications"),
        all=graphene.Boolean(description="true marks every notification of the member read"),
        description=(
            "Mark notifications read; returns how many changed. Ids of other members are ignored "
            "(requires auth)"
        ),
    )
    mark_notifications_as_unread = graphene.Int(
        required=True,
        ids=graphene.List(graphene.NonNull(graphene.Int), description="Ids of the member's notifications"),
        description=(
            "Mark notifications unread; returns how many changed. Ids of other members are ignored "
            "(requires auth)"
        ),
    )

    @staticmethod
    @member_required
    def resolve_mark_notifications_as_read(root, info, member, ids=None, **arguments):
        # `all` is the contract's argument name; it arrives as a keyword and shadows nothing here.
        return services.notifications_mark_read(
            member=member, ids=ids, all_notifications=bool(arguments.get("all"))
        )

    @staticmethod
    @member_required
    def resolve_mark_notifications_as_unread(root, info, member, ids=None):
        return services.notifications_mark_unread(member=member, ids=ids)
