"""Events → notification drafts: the pure "who gets notified of what" (docs/matching-rules.md).

The ingest streams a page's drafts (`notification_drafts_stream`) into the database in
bounded chunks, together with the cursor advance; nothing here writes to the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from notifications.models import EmailStatus
from qn_ingest.actions import recipients_once_per_action
from qn_ingest.candidates import candidates_for_event
from qn_ingest.council_planning import COUNCIL_DISPLAY_DATA_BUILDERS, COUNCIL_RECIPIENT_DATA_BUILDERS
from qn_ingest.events import (
    Author,
    ElectionStageStarted,
    ForumPostAdded,
    ForumThreadCreated,
    ProposalDiscussionPostCreated,
    QueryNodeEvent,
    Roles,
)
from qn_ingest.mentions import markdown_plain_text
from qn_ingest.proposal_display import PROPOSAL_DISPLAY_DATA_BUILDERS
from qn_ingest.proposal_events import PROPOSAL_EVENT_CLASSES
from qn_ingest.working_groups import WorkingGroupEvent, working_group_data
from subscriptions.resolution import EventCandidates, Recipient, recipients_stream


class NotificationDraft(NamedTuple):
    """One notification to create; fields map 1:1 onto notifications.models.Notification. A
    tuple: a page makes one per notification (an election, one per member)."""

    member_id: int
    kind: str
    event_id: str
    entity_id: str
    in_block: int
    email_status: str  # notifications.models.EmailStatus value: PENDING or IGNORED
    in_app: bool  # shown in the feed (False: wanted by email only)
    # JSON-safe display data (shape in notifications/presentation.py); one dict shared by the
    # drafts of the same event (and of the same watched entity), so treat it as read-only.
    data: dict


def notification_drafts_for_events(*, events: list[QueryNodeEvent], roles: Roles) -> list[NotificationDraft]:
    """At most one draft per (member, event), in event order; a constant number of queries per call."""
    return list(notification_drafts_stream(events=events, roles=roles))


def notification_drafts_stream(*, events: list[QueryNodeEvent], roles: Roles) -> Iterator[NotificationDraft]:
    """notification_drafts_for_events as a stream, for the ingest's bounded-memory writes."""
    # A page re-read after a crash may repeat an event; the first occurrence counts, so
    # (member, event) stays unique within the drafts too.
    by_id: dict[str, QueryNodeEvent] = {}
    for event in events:
        by_id.setdefault(event.event_id, event)
    page = [
        EventCandidates(event.event_id, event.author_id, candidates_for_event(event, roles), event.actor_ids)
        for event in by_id.values()
    ]
    # Display data is built once per event, not per recipient: an election reaches everyone.
    data = {event_id: event_display_data(event) for event_id, event in by_id.items()}
    recipients: Iterable[Recipient] = recipients_stream(events=page)
    if any(event.continues_event_id for event in by_id.values()):
        # One action, one notification needs the page's recipients at once; only pages holding
        # an event that continues another (rare) pay for it.
        recipients = recipients_once_per_action(list(recipients), by_id)
    pending, ignored = EmailStatus.PENDING.value, EmailStatus.IGNORED.value
    event_id = None
    for recipient in recipients:
        if recipient.event_id != event_id:  # they come event by event: looked up once per event
            event_id = recipient.event_id
            event = by_id[event_id]
            entity_id, in_block, event_data = event_entity_id(event), event.in_block, data[event_id]
            own_data = RECIPIENT_DATA_BUILDERS.get(type(event))
            # The members who watch the same entity share one dict (staged once, bulk_write).
            watched_data: dict[str, dict] = {}
        if own_data is None and recipient.watched_entity_id is None:
            recipient_data = event_data
        elif own_data is None:
            recipient_data = watched_data.get(recipient.watched_entity_id)
            if recipient_data is None:
                recipient_data = watched_data[recipient.watched_entity_id] = _recipient_data(
                    event_data, event, recipient
                )
        else:
            recipient_data = _recipient_data(event_data, event, recipient)
        yield NotificationDraft(
            recipient.member_id,
            recipient.kind,
            event_id,
            entity_id,
            in_block,
            pending if recipient.send_email else ignored,
            recipient.in_app,
            recipient_data,
        )


def _recipient_data(data: dict, event: QueryNodeEvent, recipient: Recipient) -> dict:
    """The event's data, plus what concerns this member only: which watch matched for an
    entity-subscription notification (its unsubscribe link names it), and the parts of
    RECIPIENT_DATA_BUILDERS (e.g. the accounts a voter must reveal from). Notifications with
    nothing of their own share their event's dict."""
    builder = RECIPIENT_DATA_BUILDERS.get(type(event))
    own = builder(event, recipient.member_id) if builder else {}
    if recipient.watched_entity_id is not None:
        own = {**own, "watched": {"id": recipient.watched_entity_id}}
    return {**data, **own} if own else data


def event_entity_id(event: QueryNodeEvent) -> str:
    """The notification's entityId: the post, the new thread, the proposal a proposal event is
    about, or else the event itself."""
    if isinstance(event, ForumPostAdded | ProposalDiscussionPostCreated):
        return str(event.post_id)
    if isinstance(event, ForumThreadCreated):
        return str(event.thread_id)
    if isinstance(event, PROPOSAL_EVENT_CLASSES):
        return str(event.proposal_id)
    return str(event.event_id)


def _author(author: Author) -> dict:
    return {"id": int(author.id), "handle": str(author.handle)}


def _category(category_chain: tuple[str, ...], title: str) -> dict:
    return {"id": str(category_chain[0]) if category_chain else "", "title": str(title)}


def _post(post_id: str | None, text: str) -> dict:
    post = {"excerpt": markdown_plain_text(text)}
    if post_id is not None:
        post = {"id": str(post_id), **post}
    return post


def _forum_post_data(event: ForumPostAdded) -> dict:
    return {
        "author": _author(event.author),
        "thread": {"id": str(event.thread_id), "title": str(event.thread_title)},
        "category": _category(event.category_chain, event.category_title),
        "post": _post(event.post_id, event.text),
    }


def _forum_thread_data(event: ForumThreadCreated) -> dict:
    return {
        "author": _author(event.author),
        "thread": {"id": str(event.thread_id), "title": str(event.title)},
        "category": _category(event.category_chain, event.category_title),
        # A new thread has no post id of its own here; the excerpt is its first text.
        "post": _post(None, event.text),
    }


def _proposal_discussion_data(event: ProposalDiscussionPostCreated) -> dict:
    return {
        "author": _author(event.author),
        "proposal": {"id": str(event.proposal_id), "title": str(event.proposal_title)},
        "post": _post(event.post_id, event.text),
    }


def _election_data(event: ElectionStageStarted) -> dict:
    stage = str(event.stage)  # a StrEnum: its str() is the plain value
    return {"election": {"stage": stage, "cycle_id": None if event.cycle_id is None else str(event.cycle_id)}}


# What each event class stores for the feed and the emails (the parts presentation reads).
DISPLAY_DATA_BUILDERS: dict[type, Callable[[Any], dict]] = {
    ForumPostAdded: _forum_post_data,
    ForumThreadCreated: _forum_thread_data,
    ProposalDiscussionPostCreated: _proposal_discussion_data,
    ElectionStageStarted: _election_data,
    **PROPOSAL_DISPLAY_DATA_BUILDERS,
    **COUNCIL_DISPLAY_DATA_BUILDERS,
    WorkingGroupEvent: working_group_data,
}


# Display data that differs per member, by event class: (event, member id) → parts to add.
RECIPIENT_DATA_BUILDERS: dict[type, Callable[[Any, int], dict]] = {
    **COUNCIL_RECIPIENT_DATA_BUILDERS,
}


def event_display_data(event: QueryNodeEvent) -> dict:
    """JSON-safe `Notification.data` (shape in notifications/presentation.py)."""
    try:
        builder = DISPLAY_DATA_BUILDERS[type(event)]
    except KeyError:
        raise TypeError(f"no display data for {type(event).__name__}") from None
    return {"event_type": event.event_type, **builder(event)}
