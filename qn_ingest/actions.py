"""One action, one notification (docs/matching-rules.md): when the chain emits one action as
several events in a block, the later events name the first (`continues_event_id`) and add
nothing for the members it reached, whether it was planned in the same page or stored by an
earlier one (the ingest pages by events, so a block's events can be split over two pages).

An area marks its pairs while normalising (`first_event_of_the_action`), from what the query
node links to each event; the planner applies `recipients_once_per_action` to every page."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from notifications.models import Notification
from qn_ingest.events import BaseEvent
from subscriptions.resolution import Recipient


def _position(node: Mapping[str, Any]) -> tuple[int, int]:
    return int(node["inBlock"]), int(node.get("indexInBlock") or 0)


def first_event_of_the_action(
    node: Mapping[str, Any], same_action: Iterable[Mapping[str, Any]]
) -> str | None:
    """The id of the event that carries the notification of `node`'s action, when it is another
    event than `node`: the first in chain order of `node` and the events of `same_action` (query-node
    events with `id`, `inBlock`, `indexInBlock`) that are in `node`'s block. Events of other blocks
    are other actions. None when `node` comes first (or alone): it carries the notification."""
    block = int(node["inBlock"])
    in_block = [
        (_position(event), str(event["id"]))
        for event in (node, *same_action)
        if int(event["inBlock"]) == block
    ]
    first = min(in_block)[1]
    return first if first != str(node["id"]) else None


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
