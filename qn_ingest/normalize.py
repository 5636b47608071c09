"""Query-node event answers (NOTIFY_EVENTS) → the normalised dataclasses of events.py.

A page is normalised as a whole: the earlier posters of all its threads are read in one
paged query per post kind (not one per event), then each event keeps those strictly before it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from qn_ingest.council_normalize import COUNCIL_NORMALIZERS, council_page_complete
from qn_ingest.events import (
    ELECTION_STAGE_EVENT_TYPES,
    Author,
    ElectionStageStarted,
    ForumPostAdded,
    ForumThreadCreated,
    ProposalDiscussionPostCreated,
    QueryNodeEvent,
)
from qn_ingest.fetch import QueryNodeReader
from qn_ingest.proposal_normalize import PROPOSAL_NORMALIZERS, proposal_page_prepare
from qn_ingest.working_groups import WORKING_GROUP_EVENT_TYPES, working_group_normalize

logger = logging.getLogger(__name__)

_ELECTION_STAGES = {event_type: stage for stage, event_type in ELECTION_STAGE_EVENT_TYPES.items()}


def _time(value: Any) -> datetime | None:
    """A query-node DateTime (UTC); one without an offset is read as UTC so that all compare."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _author(member: dict[str, Any]) -> Author:
    return Author(id=int(member["id"]), handle=str(member.get("handle") or ""))


def _optional_member_id(value: Any) -> int | None:
    """A related member (thread author, replied-to author, earlier poster): one that cannot be
    read only drops that member from the candidates, not the whole event."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# thread id -> author id -> time of the author's first post in that thread (of the posts read).
FirstPostTimes = dict[str, dict[int, datetime]]


@dataclass(frozen=True)
class EarlierPosters:
    """Who posted when, in the forum threads and proposal discussion threads of one page."""

    forum: FirstPostTimes = field(default_factory=dict)
    proposal: FirstPostTimes = field(default_factory=dict)


def _first_post_times(pages: Iterable[list[dict[str, Any]]], thread_field: str) -> FirstPostTimes:
    """Only each author's first post per thread is kept: memory grows with the distinct
    (thread, author) pairs, not with the number of posts read."""
    first: FirstPostTimes = {}
    for page in pages:
        for post in page:
            created = _time(post.get("createdAt"))
            author_id = _optional_member_id(post.get("authorId"))
            thread_id = post.get(thread_field)
            if created is None or author_id is None or thread_id is None:
                continue
            authors = first.setdefault(str(thread_id), {})
            if author_id not in authors or created < authors[author_id]:
                authors[author_id] = created
    return first


def _earlier_authors(first: FirstPostTimes, thread_id: str, created: datetime | None) -> frozenset[int]:
    """Authors of the thread's posts created strictly before the new one (docs/matching-rules.md)."""
    if created is None:
        return frozenset()
    return frozenset(author for author, at in first.get(thread_id, {}).items() if at < created)


def _page_posts(nodes: list[dict[str, Any]], typename: str, thread_key: str) -> tuple[set[str], str | None]:
    """The thread ids of the page's posts of this type, and the latest of their createdAt
    (as the query node wrote it). Unusable nodes are left to event_normalize to report."""
    thread_ids: set[str] = set()
    latest: tuple[datetime, str] | None = None
    for node in nodes:
        post = node.get("post") if node.get("__typename") == typename else None
        thread = post.get(thread_key) if isinstance(post, dict) else None
        if not isinstance(thread, dict) or thread.get("id") is None:
            continue
        created = _time(post.get("createdAt"))
        if created is None:
            continue
        thread_ids.add(str(thread["id"]))
        if latest is None or created > latest[0]:
            latest = (created, post["createdAt"])
    return thread_ids, latest[1] if latest else None


def earlier_posters_load(nodes: list[dict[str, Any]], reader: QueryNodeReader) -> EarlierPosters:
    """At most one paged query for forum posts and one for proposal discussion posts, for the
    whole page: the posts of its threads created before its latest post."""
    forum_threads, forum_before = _page_posts(nodes, "PostAddedEvent", "thread")
    proposal_threads, proposal_before = _page_posts(
        nodes, "ProposalDiscussionPostCreatedEvent", "discussionThread"
    )
    forum = (
        _first_post_times(
            reader.forum_posts_before(thread_ids=forum_threads, before=forum_before), "threadId"
        )
        if forum_before
        else {}
    )
    proposal = (
        _first_post_times(
            reader.proposal_discussion_posts_before(thread_ids=proposal_threads, before=proposal_before),
            "discussionThreadId",
        )
        if proposal_before
        else {}
    )
    return EarlierPosters(forum=forum, proposal=proposal)


def category_ids_of(nodes: list[dict[str, Any]]) -> set[str]:
    """Forum categories the page's events refer to (to load their chains in one go)."""
    ids = set()
    for node in nodes:
        thread = None
        if node.get("__typename") == "PostAddedEvent":
            thread = (node.get("post") or {}).get("thread")
        elif node.get("__typename") == "ThreadCreatedEvent":
            thread = node.get("thread")
        if isinstance(thread, dict) and thread.get("categoryId"):
            ids.add(str(thread["categoryId"]))
    return ids


def _forum_post(
    node: dict[str, Any], base: dict[str, Any], reader: QueryNodeReader, earlier: EarlierPosters
) -> ForumPostAdded:
    post = node["post"]
    thread = post["thread"]
    category_id = str(thread["categoryId"])
    replied_to = post.get("repliesTo")
    return ForumPostAdded(
        **base,
        post_id=str(post["id"]),
        text=str(node.get("text") or ""),
        author=_author(post["author"]),
        thread_id=str(thread["id"]),
        thread_title=str(thread.get("title") or ""),
        thread_author_id=_optional_member_id(thread.get("authorId")),
        category_chain=reader.category_chain(category_id),
        category_title=reader.category_title(category_id),
        replied_to_author_id=_optional_member_id(replied_to.get("authorId")) if replied_to else None,
        earlier_post_author_ids=_earlier_authors(earlier.forum, str(thread["id"]), _time(post["createdAt"])),
    )


def _forum_thread(
    node: dict[str, Any], base: dict[str, Any], reader: QueryNodeReader, earlier: EarlierPosters
) -> ForumThreadCreated:
    thread = node["thread"]
    category_id = str(thread["categoryId"])
    return ForumThreadCreated(
        **base,
        thread_id=str(thread["id"]),
        # The title and text as created; the thread may have been renamed since.
        title=str(node.get("title") or thread.get("title") or ""),
        text=str(node.get("text") or ""),
        author=_author(thread["author"]),
        category_chain=reader.category_chain(category_id),
        category_title=reader.category_title(category_id),
    )


def _proposal_post(
    node: dict[str, Any], base: dict[str, Any], reader: QueryNodeReader, earlier: EarlierPosters
) -> ProposalDiscussionPostCreated:
    post = node["post"]
    discussion = post["discussionThread"]
    proposal = discussion["proposal"]
    replied_to = post.get("repliesTo")
    return ProposalDiscussionPostCreated(
        **base,
        post_id=str(post["id"]),
        text=str(node.get("text") or ""),
        author=_author(post["author"]),
        proposal_id=str(proposal["id"]),
        proposal_title=str(proposal.get("title") or ""),
        proposal_creator_id=_optional_member_id(proposal.get("creatorId")),
        replied_to_author_id=_optional_member_id(replied_to.get("authorId")) if replied_to else None,
        earlier_post_author_ids=_earlier_authors(
            earlier.proposal, str(discussion["id"]), _time(post["createdAt"])
        ),
    )


def _election_stage(
    node: dict[str, Any], base: dict[str, Any], reader: QueryNodeReader, earlier: EarlierPosters
) -> ElectionStageStarted:
    return ElectionStageStarted(**base, stage=_ELECTION_STAGES[node["__typename"]])


Normalizer = Callable[[dict[str, Any], dict[str, Any], QueryNodeReader, EarlierPosters], QueryNodeEvent]

# One normalizer per query-node event type of the kinds table (subscriptions.kinds.EVENT_TYPES);
# tests/planning/test_kinds_table.py checks that none is missing.
NORMALIZERS: dict[str, Normalizer] = {
    "PostAddedEvent": _forum_post,
    "ThreadCreatedEvent": _forum_thread,
    "ProposalDiscussionPostCreatedEvent": _proposal_post,
    **{event_type: _election_stage for event_type in _ELECTION_STAGES},
    **PROPOSAL_NORMALIZERS,
    **COUNCIL_NORMALIZERS,  # after the stages: it refines the announcing and revealing ones
    **dict.fromkeys(WORKING_GROUP_EVENT_TYPES, working_group_normalize),
}

# What a page needs read from the query node before its events are normalised, once per page.
PAGE_PREPARERS: tuple[Callable[[list[dict[str, Any]], QueryNodeReader], None], ...] = (proposal_page_prepare,)

# Passes over a page's normalised events for what their own nodes cannot say, each reading
# the query node a bounded number of times for the whole page (e.g. an election round's voters).
PAGE_PASSES: tuple[Callable[[list[QueryNodeEvent], QueryNodeReader], list[QueryNodeEvent]], ...] = (
    council_page_complete,
)


def event_normalize(
    node: dict[str, Any], reader: QueryNodeReader, earlier: EarlierPosters
) -> QueryNodeEvent | None:
    """The normalised event, or None (logged) when the query node's data for it is unusable:
    one broken event must not stall the ingest forever. `reader` has the page's categories
    loaded and `earlier` holds the page's earlier posters (earlier_posters_load)."""
    typename = node.get("__typename")
    normalizer = NORMALIZERS.get(typename)
    if normalizer is None:
        logger.warning("Skipping query-node event %s of unhandled type %s", node["id"], typename)
        return None
    base = {"event_id": node["id"], "in_block": node["inBlock"], "created_at": _time(node.get("createdAt"))}
    try:
        return normalizer(node, base, reader, earlier)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        logger.error("Skipping query-node event %s (%s): unusable data (%r)", node["id"], typename, exc)
        return None


def page_normalize(nodes: list[dict[str, Any]], reader: QueryNodeReader) -> list[QueryNodeEvent]:
    """The page's usable events, normalised; the query-node reads it needs are per page
    (categories not cached yet, earlier posters), never per event."""
    reader.categories_load(category_ids_of(nodes))
    for prepare in PAGE_PREPARERS:
        prepare(nodes, reader)
    earlier = earlier_posters_load(nodes, reader)
    events = [event for node in nodes if (event := event_normalize(node, reader, earlier))]
    for page_pass in PAGE_PASSES:
        events = page_pass(events, reader)
    return events
