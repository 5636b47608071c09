"""Reads of a member's in-app notification feed, always scoped to that member (in-app rows only)."""

from __future__ import annotations

import functools

from django.db import connection
from django.db.models import QuerySet

from members.models import Member
from notifications.feed_row import FEED_COLUMNS, FeedRow
from notifications.models import Notification, NotificationCount
from pioneer.errors import invalid_input

FEED_LIMIT_DEFAULT = 100
# No request returns an unbounded list: larger limits are capped to this.
FEED_LIMIT_MAX = 500


def _member_notifications(
    *,
    member_id: int,
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
        member_id=member_id,
        in_app=True,
        **{name: value for name, value in filters.items() if value is not None},
    )


def notifications_for_member(
    *,
    member_id: int,
    id: int | None = None,
    kind: str | None = None,
    event_id: str | None = None,
    entity_id: str | None = None,
    email_status: str | None = None,
    is_read: bool | None = None,
    limit: int | None = None,
    offset: int | None = None,
) -> list[FeedRow] | None:
    """One page of the member's notifications, newest first, in one query (the feed index's
    order); None when no member has this id.

    A row proves its member exists (the foreign key): only an empty page asks. Ties on
    created_at (one ingest transaction) are broken by id, so pages never overlap.
    """
    limit = FEED_LIMIT_DEFAULT if limit is None else limit
    offset = 0 if offset is None else offset
    if limit < 0:
        raise invalid_input("limit must not be negative")
    if offset < 0:
        raise invalid_input("offset must not be negative")
    limit = min(limit, FEED_LIMIT_MAX)
    rows = _member_notifications(
        member_id=member_id,
        id=id,
        kind=kind,
        event_id=event_id,
        entity_id=entity_id,
        email_status=email_status,
        is_read=is_read,
    )
    # Only what the feed shows, as plain values: the delivery bookkeeping (last_error can be
    # long) stays in the database, and no model instance is built per row.
    page = rows.order_by("-created_at", "-id").values_list(*FEED_COLUMNS)[offset : offset + limit]
    feed = [FeedRow(values) for values in page]
    if not feed and not Member.objects.filter(pk=member_id).exists():
        return None
    return feed


def notifications_count_for_member(
    *, member_id: int, is_read: bool | None = None, kind: str | None = None
) -> int | None:
    """The member's total, unread or read count, with the member itself in one query (the counts
    are one row kept by triggers, NotificationCount); None when no member has this id. Only a
    count of one kind counts rows."""
    if kind is not None:
        if not Member.objects.filter(pk=member_id).exists():
            return None
        return _member_notifications(member_id=member_id, is_read=is_read, kind=kind).count()
    with connection.cursor() as cursor:
        cursor.execute(_counts_sql(), [member_id])
        found = cursor.fetchone()
    if found is None:
        return None
    total, unread = (found[0] or 0), (found[1] or 0)  # no counts row yet: nothing counted
    if is_read is None:
        return total
    return total - unread if is_read else unread


@functools.cache
def _counts_sql() -> str:
    """The member's row joined to its counts row (which has no foreign key, so no ORM join)."""
    members = connection.ops.quote_name(Member._meta.db_table)
    counts = connection.ops.quote_name(NotificationCount._meta.db_table)
    return (
        f"SELECT c.total, c.unread FROM {members} m"
        f" LEFT JOIN {counts} c ON c.member_id = m.id WHERE m.id = %s"
    )


def feed_version(member_id: int) -> int | None:
    """The member's feed version (NotificationCount.version: it moves with every change to the member's
    feed rows; 0 before the first), with the member itself in one query; None when no member has this id."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(), [member_id])
        found = cursor.fetchone()
    if found is None:
        return None
    return found[0] or 0


@functools.cache
def _version_sql() -> str:
    """The member's row joined to its counts row, like _counts_sql."""
    members = connection.ops.quote_name(Member._meta.db_table)
    counts = connection.ops.quote_name(NotificationCount._meta.db_table)
    return f"SELECT c.version FROM {members} m LEFT JOIN {counts} c ON c.member_id = m.id WHERE m.id = %s"
