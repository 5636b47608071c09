"""One notification as the in-app feed reads it: the columns the feed shows, read as plain
values (no model instance), and its message and link, each built on first use from the
display data's fields, which both share."""

from __future__ import annotations

from datetime import datetime

from notifications.presentation import display_fields, notification_link, notification_message

# The columns a feed row holds, in the order notifications.selectors reads them.
FEED_COLUMNS = (
    "id",
    "kind",
    "event_id",
    "entity_id",
    "email_status",
    "is_read",
    "created_at",
    "in_block",
    "data",
)


class FeedRow:
    __slots__ = (*FEED_COLUMNS, "_fields")

    id: int
    kind: str
    event_id: str
    entity_id: str | None
    email_status: str
    is_read: bool
    created_at: datetime
    in_block: int
    data: dict

    def __init__(self, values: tuple) -> None:
        (
            self.id,
            self.kind,
            self.event_id,
            self.entity_id,
            self.email_status,
            self.is_read,
            self.created_at,
            self.in_block,
            data,
        ) = values
        # What an operator stored may be anything: the renderers expect a dict (Notification.display_data).
        self.data = data if isinstance(data, dict) else {}
        self._fields = None

    def _display_fields(self) -> dict[str, str]:
        if self._fields is None:
            self._fields = display_fields(self.data)
        return self._fields

    @property
    def message(self) -> str:
        return notification_message(self.kind, self.data, fields=self._display_fields())

    @property
    def link(self) -> str:
        return notification_link(self.kind, self.data, fields=self._display_fields())
