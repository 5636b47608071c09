"""The events of a page that community channels may post: those of kinds whose audience is everyone."""

from __future__ import annotations

from chat.fanout import COMMUNITY_KINDS, CommunityEvent, community_channels_active
from qn_ingest.events import QueryNodeEvent
from qn_ingest.planning import event_display_data
from subscriptions.kinds import kinds_for_event_type

COMMUNITY_KIND_SET = frozenset(COMMUNITY_KINDS)


def community_events(events: list[QueryNodeEvent]) -> list[CommunityEvent]:
    """Nothing (after one query) while no community channel is active; display data is built
    only for events some community kind is made of."""
    if not events or not community_channels_active():
        return []
    return [
        CommunityEvent(event.event_id, event.event_type, event.in_block, event_display_data(event))
        for event in events
        if any(kind.name in COMMUNITY_KIND_SET for kind in kinds_for_event_type(event.event_type))
    ]
