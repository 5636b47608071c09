"""Reads of a member's in-app notification feed, always scoped to that member (in-app rows only)."""

from __future__ import annotations

from django.db.models import QuerySet

from members.models import Member
from notifications.models import Notification, NotificationCount
from pioneer.errors import invalid_input

FEED_LIMIT_DEFAULT = 100
# No request returns an unbounded list: larger limits are capped to this.
FEED_LIMIT_MAX = 500


def _member_notifications(
    *,
    member: Member,
    id: int | None = None,
    kind: str | None = None,
    event_id: str | None = None,
    entity_id: str | None = None,
    email_status: str | None = None,
    is_read: bool | None = None,
) -> QuerySet[Notification]:
    filters = {
        "id": id,
        "kind": kind,
        "event_id": event_id,
        "entity_id": entity_id,
        "email_status": email_status,
        "is_read": is_read,
    }
    # Rows the member wants by email only (in_app off) are not part of the feed or its counts.
    return Notification.objects.filter(
        member=member, in_app=True, **{name: value for name, value in filters.items() if value is not None}
    )


def notifications_for_member(
    *,
    member: Member,
    id: int | None = None,
    kind: str | None = None,
    event_id: str | None = None,
    entity_id: str | None = None,
    email_status: str | None = None,
    is_read: bool | None = None,
    limit: int | None = None,
    offset: int | None = None,
) -> list[Notification]:
    """One page of the member's notifications, newest first, in one query.

    Ties on created_at (one ingest transaction) are broken by id, so pages never overlap.
    """
    limit = FEED_LIMIT_DEFAULT if limit is None else limit
    offset = 0 if offset is None else offset
    if limit < 0:
        raise invalid_input("limit must not be negative")
    if offset < 0:
        raise invalid_input("offset must not be negative")
    limit = min(limit, FEED_LIMIT_MAX)
    rows = _member_notifications(
        member=member,
        id=id,
        kind=kind,
        event_id=event_id,
        entity_id=entity_id,
        email_status=email_status,
        is_read=is_read,
    )
    # Only what the feed shows: the delivery bookkeeping (last_error can be long) stays in the database.
    rows = rows.only(
        "id",
        "member_id",
        "kind",
        "event_id",
        "entity_id",
        "email_status",
        "is_read",
        "created_at",
        "in_block",
        "data",
    )
    return list(rows.order_by("-created_at", "-id")[offset : offset + limit])


def notifications_count_for_member(
    *, member: Member, is_read: bool | None = None, kind: str | None = None
) -> int:
    """The member's total, unread or read count is one row kept by triggers (NotificationCount);
    only a count of one kind counts rows."""
    if kind is not None:
        return _member_notifications(member=member, is_read=is_read, kind=kind).count()
    counts = NotificationCount.objects.filter(member_id=member.id).values_list("total", "unread").first()
    total, unread = counts or (0, 0)
    if is_read is None:
        return total
    return total - unread if is_read else unread
