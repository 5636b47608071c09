"""One action, one notification (RULES.md): when the chain emits one action as several events
in a block, the later events name the first (`continues_event_id`) and add nothing for the
members it reached, whether it was planned in the same page or stored by an earlier one (the
ingest pages by events, so a block's events can be split over two pages)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from notifications.models import Notification
from qn_ingest.events import BaseEvent
from subscriptions.resolution import Recipient


def recipients_once_per_action(
    recipients: Sequence[Recipient], events: Mapping[str, BaseEvent]
) -> list[Recipient]:
    """`recipients` (in event order) without those an earlier event of the same action already
    reached. One query, only when the page holds an event that continues another."""
    firsts = {event.continues_event_id for event in events.values() if event.continues_event_id}
    if not firsts:
        return list(recipients)
    reached = set(
        Notification.objects.filter(event_id__in=sorted(firsts)).values_list("member_id", "event_id")
    )
    kept = []
    for recipient in recipients:
        first = events[recipient.event_id].continues_event_id
        if first is not None and (recipient.member_id, first) in reached:
            continue
        kept.append(recipient)
        # A later event of the action names the first one: that is the key it is checked by.
        reached.add((recipient.member_id, first or recipient.event_id))
    return kept
