"""Query-node events, normalised: what the ingest client produces and the
candidate builders consume. Plain, immutable data; member ids are ints, entity
ids (posts, threads, categories, proposals) are the query node's string ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import ClassVar


class ElectionStage(StrEnum):
    ANNOUNCING = "ANNOUNCING"
    VOTING = "VOTING"
    REVEALING = "REVEALING"


# The query-node event type that starts each stage.
ELECTION_STAGE_EVENT_TYPES: dict[ElectionStage, str] = {
    ElectionStage.ANNOUNCING: "AnnouncingPeriodStartedEvent",
    ElectionStage.VOTING: "VotingPeriodStartedEvent",
    ElectionStage.REVEALING: "RevealingStageStartedEvent",
}


@dataclass(frozen=True)
class Author:
    id: int
    handle: str


@dataclass(frozen=True, kw_only=True)
class BaseEvent:
    # The query-node type (`__typename`) this event was read from; the kinds table names it.
    event_type: ClassVar[str]

    event_id: str
    in_block: int
    created_at: datetime | None = None
    # When the chain emits one action as several events in one block (docs/matching-rules.md, "One action, one
    # notification"), the later ones name the first: members it reached get nothing from them.
    continues_event_id: str | None = None

    @property
    def author_id(self) -> int | None:
        author = getattr(self, "author", None)
        return author.id if author else None

    @property
    def actor_ids(self) -> frozenset[int]:
        """Whoever acted: never notified of their own act. The author, unless an event says more."""
        return frozenset() if self.author_id is None else frozenset({self.author_id})


@dataclass(frozen=True, kw_only=True)
class ForumPostAdded(BaseEvent):
    event_type: ClassVar[str] = "PostAddedEvent"

    post_id: str
    text: str
    author: Author
    thread_id: str
    thread_title: str
    thread_author_id: int | None
    # The thread's category, then each parent up to the root (nearest first).
    category_chain: tuple[str, ...] = ()
    category_title: str = ""
    replied_to_author_id: int | None = None
    # Authors of the thread's posts created strictly before this one.
    earlier_post_author_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True, kw_only=True)
class ForumThreadCreated(BaseEvent):
    event_type: ClassVar[str] = "ThreadCreatedEvent"

    thread_id: str
    title: str
    text: str  # the thread's first post
    author: Author
    category_chain: tuple[str, ...] = ()
    category_title: str = ""


@dataclass(frozen=True, kw_only=True)
class ProposalDiscussionPostCreated(BaseEvent):
    event_type: ClassVar[str] = "ProposalDiscussionPostCreatedEvent"

    post_id: str
    text: str
    author: Author
    proposal_id: str
    proposal_title: str
    proposal_creator_id: int | None
    replied_to_author_id: int | None = None
    earlier_post_author_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True, kw_only=True)
class ElectionStageStarted(BaseEvent):
    stage: ElectionStage
    cycle_id: str | None = None

    @property
    def event_type(self) -> str:  # type: ignore[override]  # one class for three query-node types
        return ELECTION_STAGE_EVENT_TYPES[ElectionStage(self.stage)]


QueryNodeEvent = ForumPostAdded | ForumThreadCreated | ProposalDiscussionPostCreated | ElectionStageStarted


@dataclass(frozen=True)
class Worker:
    member_id: int
    group_id: str
    is_lead: bool


@dataclass(frozen=True)
class CouncilTerm:
    """One elected council: in office from the block it was elected at until the block a new
    one was (None while in office)."""

    elected_at: int
    ended_at: int | None
    member_ids: frozenset[int]

    def in_office_at(self, block: int) -> bool:
        return self.elected_at <= block and (self.ended_at is None or block < self.ended_at)


@dataclass(frozen=True)
class Roles:
    """Who holds which role right now (fetched once per ingest run)."""

    council_member_ids: frozenset[int] = frozenset()
    workers: tuple[Worker, ...] = ()
