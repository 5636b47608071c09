"""Query-node event answers (NOTIFY_EVENTS) → the normalised dataclasses of events.py."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from qn_ingest.events import (
    Author,
    ElectionStage,
    ElectionStageStarted,
    ForumPostAdded,
    ForumThreadCreated,
    ProposalDiscussionPostCreated,
    QueryNodeEvent,
)
from qn_ingest.fetch import QueryNodeReader

logger = logging.getLogger(__name__)

ELECTION_STAGES = {
    "AnnouncingPeriodStartedEvent": ElectionStage.ANNOUNCING,
    "VotingPeriodStartedEvent": ElectionStage.VOTING,
    "RevealingStageStartedEvent": ElectionStage.REVEALING,
}


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _author(member: dict[str, Any]) -> Author:
    return Author(id=int(member["id"]), handle=str(member.get("handle") or ""))


def _optional_member_id(value: Any) -> int | None:
    """A related member (thread author, replied-to author, earlier poster): one that cannot be
    read only drops that member from the candidates, not the whole event."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _earlier_authors(posts: list[dict[str, Any]], post_id: str, created: datetime | None) -> frozenset[int]:
    """Authors of the posts created strictly before the new one (RULES.md)."""
    if created is None:
        return frozenset()
    authors = set()
    for post in posts or []:
        post_created = _time(post.get("createdAt"))
        if post.get("id") != post_id and post_created is not None and post_created < created:
            authors.add(_optional_member_id(post.get("authorId")))
    return frozenset(authors - {None})


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


def _forum_post(node: dict[str, Any], base: dict[str, Any], reader: QueryNodeReader) -> ForumPostAdded:
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
        earlier_post_author_ids=_earlier_authors(
            thread.get("posts"), str(post["id"]), _time(post["createdAt"])
        ),
    )


def _forum_thread(node: dict[str, Any], base: dict[str, Any], reader: QueryNodeReader) -> ForumThreadCreated:
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


def _proposal_post(node: dict[str, Any], base: dict[str, Any]) -> ProposalDiscussionPostCreated:
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
            discussion.get("posts"), str(post["id"]), _time(post["createdAt"])
        ),
    )


def event_normalize(node: dict[str, Any], reader: QueryNodeReader) -> QueryNodeEvent | None:
    """The normalised event, or None (logged) when the query node's data for it is unusable:
    one broken event must not stall the ingest forever."""
    typename = node.get("__typename")
    base = {"event_id": node["id"], "in_block": node["inBlock"], "created_at": _time(node.get("createdAt"))}
    try:
        if typename == "PostAddedEvent":
            return _forum_post(node, base, reader)
        if typename == "ThreadCreatedEvent":
            return _forum_thread(node, base, reader)
        if typename == "ProposalDiscussionPostCreatedEvent":
            return _proposal_post(node, base)
        if typename in ELECTION_STAGES:
            return ElectionStageStarted(**base, stage=ELECTION_STAGES[typename])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        logger.error("Skipping query-node event %s (%s): unusable data (%r)", node["id"], typename, exc)
        return None
    logger.warning("Skipping query-node event %s of unhandled type %s", node["id"], typename)
    return None
