"""Events → notification drafts: the pure "who gets notified of what" (RULES.md).

The ingest calls `notification_drafts_for_events` once per page and bulk-inserts the
drafts together with the cursor advance; nothing here writes to the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from qn_ingest.events import QueryNodeEvent, Roles


@dataclass(frozen=True)
class NotificationDraft:
    """One notification to create; fields map 1:1 onto notifications.models.Notification."""

    member_id: int
    kind: str
    event_id: str
    entity_id: str
    in_block: int
    email_status: str  # notifications.models.EmailStatus value: PENDING or IGNORED
    data: dict  # JSON-safe display data, shape documented in notifications/presentation.py


def notification_drafts_for_events(*, events: list[QueryNodeEvent], roles: Roles) -> list[NotificationDraft]:
    """At most one draft per (member, event), in event order; a constant number of queries per call."""
    raise NotImplementedError("planner helper is implementing this")
