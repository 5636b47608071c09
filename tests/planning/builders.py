"""Normalised query-node events for planning tests, built directly as dataclasses,
plus small helpers to plan a page and read the result."""

from __future__ import annotations

import itertools

from qn_ingest.events import (
    Author,
    ElectionStage,
    ElectionStageStarted,
    ForumPostAdded,
    ForumThreadCreated,
    ProposalDiscussionPostCreated,
    Roles,
)
from qn_ingest.planning import NotificationDraft, notification_drafts_for_events

_sequence = itertools.count(1)
# An author nobody registered: events written by them concern only the members the test names.
OUTSIDER = 999


def mention(member_id: int, label: str = "someone") -> str:
    return f"[@{label}](#mention?member-id={member_id})"


def role_mention(role: str) -> str:
    return f"[@{role}](#mention?role={role})"


def _next_event_id() -> tuple[str, int]:
    n = next(_sequence)
    return f"{1000 + n}-{n}", 1000 + n


def forum_post(
    *,
    thread_id: str = "t1",
    author_id: int = OUTSIDER,
    thread_author_id: int | None = OUTSIDER,
    text: str = "hello",
    category_chain: tuple[str, ...] = ("c1",),
    replied_to_author_id: int | None = None,
    earlier_post_author_ids: frozenset[int] = frozenset(),
) -> ForumPostAdded:
    event_id, block = _next_event_id()
    return ForumPostAdded(
        event_id=event_id,
        in_block=block,
        post_id=f"p{block}",
        text=text,
        author=Author(author_id, f"handle{author_id}"),
        thread_id=thread_id,
        thread_title=f"Thread {thread_id}",
        thread_author_id=thread_author_id,
        category_chain=category_chain,
        category_title=f"Category {category_chain[0]}" if category_chain else "",
        replied_to_author_id=replied_to_author_id,
        earlier_post_author_ids=earlier_post_author_ids,
    )


def forum_thread(
    *,
    thread_id: str = "t1",
    author_id: int = OUTSIDER,
    text: str = "a new thread",
    category_chain: tuple[str, ...] = ("c1",),
) -> ForumThreadCreated:
    event_id, block = _next_event_id()
    return ForumThreadCreated(
        event_id=event_id,
        in_block=block,
        thread_id=thread_id,
        title=f"Thread {thread_id}",
        text=text,
        author=Author(author_id, f"handle{author_id}"),
        category_chain=category_chain,
        category_title=f"Category {category_chain[0]}" if category_chain else "",
    )


def proposal_post(
    *,
    proposal_id: str = "pr1",
    author_id: int = OUTSIDER,
    creator_id: int | None = OUTSIDER,
    text: str = "a comment",
    replied_to_author_id: int | None = None,
    earlier_post_author_ids: frozenset[int] = frozenset(),
) -> ProposalDiscussionPostCreated:
    event_id, block = _next_event_id()
    return ProposalDiscussionPostCreated(
        event_id=event_id,
        in_block=block,
        post_id=f"dp{block}",
        text=text,
        author=Author(author_id, f"handle{author_id}"),
        proposal_id=proposal_id,
        proposal_title=f"Proposal {proposal_id}",
        proposal_creator_id=creator_id,
        replied_to_author_id=replied_to_author_id,
        earlier_post_author_ids=earlier_post_author_ids,
    )


def election(stage: ElectionStage) -> ElectionStageStarted:
    event_id, block = _next_event_id()
    return ElectionStageStarted(event_id=event_id, in_block=block, stage=stage, cycle_id="7")


def plan(events: list, roles: Roles | None = None) -> list[NotificationDraft]:
    return notification_drafts_for_events(events=events, roles=roles or Roles())


def kinds_by_member(drafts: list[NotificationDraft]) -> dict[int, str]:
    """member → kind for a single event's drafts (asserts one per member)."""
    result = {draft.member_id: draft.kind for draft in drafts}
    assert len(result) == len(drafts), drafts
    return result
