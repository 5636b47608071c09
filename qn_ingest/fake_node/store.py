"""In-memory query-node data, built with small factories.

Objects carry the GraphQL field names of the real schema as attributes, so the
fake's executor resolves them with graphql-core's default resolver. Relations are
properties that look the other side up in the store.

Every factory that stands for an on-chain action (thread, post, proposal post,
election stage) also appends its query-node event, in a block: by default the next
block; pass `block=` to put several events in one block. The store is thread-safe:
a demo can keep publishing while the server answers.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from qn_ingest.fake_node.proposal_history import ProposalHistory

GENESIS = datetime(2024, 1, 1, tzinfo=UTC)
BLOCK_SECONDS = 6
ELECTION_EVENT_TYPES = {
    "ANNOUNCING": "AnnouncingPeriodStartedEvent",
    "VOTING": "VotingPeriodStartedEvent",
    "REVEALING": "RevealingStageStartedEvent",
}


def block_time(block: int, index: int = 0) -> str:
    """ISO time of an event, like the query node's DateTime (block timestamp; index as ms keeps
    the events of one block in order)."""
    moment = GENESIS + timedelta(seconds=block * BLOCK_SECONDS, milliseconds=index)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass(eq=False)
class Entity:
    store: QueryNodeData = field(repr=False)
    id: str
    createdAt: str


@dataclass(eq=False)
class Membership(Entity):
    handle: str
    controllerAccount: str
    rootAccount: str
    isCouncilMember: bool = False
    boundAccounts: list[str] = field(default_factory=list)  # staking accounts bound to the membership


@dataclass(eq=False)
class ForumCategory(Entity):
    title: str
    parentId: str | None = None
    description: str = ""

    @property
    def parent(self) -> ForumCategory | None:
        return self.store.categories.get(self.parentId) if self.parentId else None


@dataclass(eq=False)
class ForumThread(Entity):
    title: str
    authorId: str
    categoryId: str
    initialPostId: str | None = None
    event: Event | None = field(default=None, repr=False)

    @property
    def author(self) -> Membership:
        return self.store.members[self.authorId]

    @property
    def category(self) -> ForumCategory:
        return self.store.categories[self.categoryId]

    @property
    def posts(self) -> list[ForumPost]:
        return [post for post in self.store.forum_posts.values() if post.threadId == self.id]

    @property
    def initialPost(self) -> ForumPost | None:
        return self.store.forum_posts.get(self.initialPostId) if self.initialPostId else None


@dataclass(eq=False)
class ForumPost(Entity):
    authorId: str
    threadId: str
    text: str
    repliesToId: str | None = None
    event: Event | None = field(default=None, repr=False)

    @property
    def author(self) -> Membership:
        return self.store.members[self.authorId]

    @property
    def thread(self) -> ForumThread:
        return self.store.threads[self.threadId]

    @property
    def repliesTo(self) -> ForumPost | None:
        return self.store.forum_posts.get(self.repliesToId) if self.repliesToId else None


@dataclass(eq=False)
class Proposal(ProposalHistory, Entity):
    title: str
    creatorId: str
    description: str = ""

    @property
    def creator(self) -> Membership:
        return self.store.members[self.creatorId]

    @property
    def discussionThread(self) -> ProposalDiscussionThread:
        return self.store.proposal_threads[self.id]


@dataclass(eq=False)
class ProposalDiscussionThread(Entity):
    proposalId: str

    @property
    def proposal(self) -> Proposal:
        return self.store.proposals[self.proposalId]

    @property
    def posts(self) -> list[ProposalDiscussionPost]:
        return [p for p in self.store.proposal_posts.values() if p.discussionThreadId == self.id]


@dataclass(eq=False)
class ProposalDiscussionPost(Entity):
    discussionThreadId: str
    authorId: str
    text: str
    repliesToId: str | None = None
    event: Event | None = field(default=None, repr=False)

    @property
    def discussionThread(self) -> ProposalDiscussionThread:
        return self.store.proposal_threads[self.discussionThreadId]

    @property
    def author(self) -> Membership:
        return self.store.members[self.authorId]

    @property
    def repliesTo(self) -> ProposalDiscussionPost | None:
        return self.store.proposal_posts.get(self.repliesToId) if self.repliesToId else None


@dataclass(eq=False)
class Worker(Entity):
    runtimeId: int
    groupId: str
    membershipId: str
    isLead: bool = False
    isActive: bool = True
    entry: Any = None  # the OpeningFilledEvent that hired it (fake_node/working_groups.py)

    @property
    def membership(self) -> Membership:
        return self.store.members[self.membershipId]

    @property
    def leaderseteventworker(self) -> list[Event]:
        return [
            e
            for e in self.store.events
            if e.typename == "LeaderSetEvent" and getattr(e, "worker", None) is self
        ]


@dataclass(eq=False)
class ElectedCouncil(Entity):
    electedAtBlock: int
    isResigned: bool = False
    endedAtBlock: int | None = None

    @property
    def councilMembers(self) -> list[CouncilMember]:
        return [m for m in self.store.council_members if m.electedInCouncilId == self.id]


@dataclass(eq=False)
class CouncilMember(Entity):
    memberId: str
    electedInCouncilId: str

    @property
    def member(self) -> Membership:
        return self.store.members[self.memberId]

    @property
    def electedInCouncil(self) -> ElectedCouncil:
        return self.store.councils[self.electedInCouncilId]


@dataclass(eq=False)
class Event(Entity):
    typename: str
    inBlock: int
    indexInBlock: int
    network: str = "OLYMPIA"
    inExtrinsic: str | None = None
    postId: str | None = None
    threadId: str | None = None
    title: str | None = None
    text: str | None = None

    @property
    def type(self) -> str:
        return self.typename

    @property
    def post(self) -> ForumPost | ProposalDiscussionPost | None:
        if self.typename == "PostAddedEvent":
            return self.store.forum_posts[self.postId]
        if self.typename == "ProposalDiscussionPostCreatedEvent":
            return self.store.proposal_posts[self.postId]
        return None

    @property
    def thread(self) -> ForumThread | None:
        return self.store.threads[self.threadId] if self.threadId else None


def _id(value: Any) -> str:
    """Factories accept entities or raw ids."""
    return value.id if isinstance(value, Entity) else str(value)


class QueryNodeData:
    """Everything the fake query node knows, plus factories to add to it."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.members: dict[str, Membership] = {}
        self.categories: dict[str, ForumCategory] = {}
        self.threads: dict[str, ForumThread] = {}
        self.forum_posts: dict[str, ForumPost] = {}
        self.proposals: dict[str, Proposal] = {}
        self.proposal_threads: dict[str, ProposalDiscussionThread] = {}
        self.proposal_posts: dict[str, ProposalDiscussionPost] = {}
        self.workers: list[Worker] = []
        self.councils: dict[str, ElectedCouncil] = {}
        self.council_members: list[CouncilMember] = []
        self.events: list[Event] = []
        self.head = 0  # highest block used so far
        self._sequence = 0

    # --- helpers ---------------------------------------------------------------
    def _next_id(self) -> str:
        self._sequence += 1
        return str(self._sequence)

    def _position(self, block: int | None) -> tuple[int, int]:
        """(block, indexInBlock) for a new event: the given block or the next one."""
        block = self.head + 1 if block is None else block
        self.head = max(self.head, block)
        index = sum(1 for event in self.events if event.inBlock == block)
        return block, index

    def _event(self, typename: str, block: int | None, **fields: Any) -> Event:
        block, index = self._position(block)
        event = Event(
            store=self,
            id=f"{block}-{index}",
            createdAt=block_time(block, index),
            typename=typename,
            inBlock=block,
            indexInBlock=index,
            **fields,
        )
        self.events.append(event)
        return event

    # --- factories -------------------------------------------------------------
    def member(
        self, id: int | None = None, *, handle: str | None = None, controller_account: str | None = None
    ) -> Membership:
        with self.lock:
            member_id = str(id) if id is not None else self._next_id()
            membership = Membership(
                store=self,
                id=member_id,
                createdAt=block_time(0),
                handle=handle or f"member{member_id}",
                controllerAccount=controller_account or f"controller-of-{member_id}",
                rootAccount=f"root-of-{member_id}",
            )
            self.members[member_id] = membership
            return membership

    def category(
        self, title: str | None = None, *, parent: Any = None, id: str | None = None
    ) -> ForumCategory:
        with self.lock:
            category_id = id or self._next_id()
            category = ForumCategory(
                store=self,
                id=category_id,
                createdAt=block_time(0),
                title=title or f"Category {category_id}",
                parentId=_id(parent) if parent is not None else None,
            )
            self.categories[category_id] = category
            return category

    def thread(
        self,
        *,
        author: Any,
        category: Any,
        title: str | None = None,
        text: str = "",
        block: int | None = None,
        event: bool = True,
        id: str | None = None,
    ) -> ForumThread:
        """A thread with its initial post and, unless event=False, its ThreadCreatedEvent."""
        with self.lock:
            thread_id = id or self._next_id()
            block_number, index = self._position(block)
            created = block_time(block_number, index)
            thread = ForumThread(
                store=self,
                id=thread_id,
                createdAt=created,
                title=title or f"Thread {thread_id}",
                authorId=_id(author),
                categoryId=_id(category),
            )
            self.threads[thread_id] = thread
            initial = ForumPost(
                store=self,
                id=self._next_id(),
                createdAt=created,
                authorId=_id(author),
                threadId=thread_id,
                text=text,
            )
            self.forum_posts[initial.id] = initial
            thread.initialPostId = initial.id
            if event:
                thread.event = self._event(
                    "ThreadCreatedEvent", block_number, threadId=thread_id, title=thread.title, text=text
                )
            return thread

    def post(
        self,
        *,
        thread: Any,
        author: Any,
        text: str = "",
        replies_to: Any = None,
        block: int | None = None,
        id: str | None = None,
    ) -> ForumPost:
        """A forum post and its PostAddedEvent."""
        with self.lock:
            post_id = id or self._next_id()
            event = self._event("PostAddedEvent", block, postId=post_id, text=text)
            post = ForumPost(
                store=self,
                id=post_id,
                createdAt=event.createdAt,
                authorId=_id(author),
                threadId=_id(thread),
                text=text,
                repliesToId=_id(replies_to) if replies_to is not None else None,
                event=event,
            )
            self.forum_posts[post_id] = post
            return post

    def proposal(self, *, creator: Any, title: str | None = None, id: str | None = None) -> Proposal:
        with self.lock:
            proposal_id = id or self._next_id()
            proposal = Proposal(
                store=self,
                id=proposal_id,
                createdAt=block_time(self.head),
                title=title or f"Proposal {proposal_id}",
                creatorId=_id(creator),
            )
            self.proposals[proposal_id] = proposal
            # One discussion thread per proposal; same id keeps lookups trivial.
            self.proposal_threads[proposal_id] = ProposalDiscussionThread(
                store=self, id=proposal_id, createdAt=proposal.createdAt, proposalId=proposal_id
            )
            return proposal

    def proposal_post(
        self,
        *,
        proposal: Any,
        author: Any,
        text: str = "",
        replies_to: Any = None,
        block: int | None = None,
        id: str | None = None,
    ) -> ProposalDiscussionPost:
        """A proposal discussion post and its ProposalDiscussionPostCreatedEvent."""
        with self.lock:
            post_id = id or self._next_id()
            event = self._event("ProposalDiscussionPostCreatedEvent", block, postId=post_id, text=text)
            post = ProposalDiscussionPost(
                store=self,
                id=post_id,
                createdAt=event.createdAt,
                discussionThreadId=self.proposals[_id(proposal)].discussionThread.id,
                authorId=_id(author),
                text=text,
                repliesToId=_id(replies_to) if replies_to is not None else None,
                event=event,
            )
            self.proposal_posts[post_id] = post
            return post

    def election_stage(self, stage: str, *, block: int | None = None) -> Event:
        """ANNOUNCING, VOTING or REVEALING started."""
        with self.lock:
            return self._event(ELECTION_EVENT_TYPES[stage], block)

    def worker(self, *, member: Any, group_id: str, is_lead: bool = False, is_active: bool = True) -> Worker:
        with self.lock:
            runtime_id = sum(1 for worker in self.workers if worker.groupId == group_id)
            worker = Worker(
                store=self,
                id=f"{group_id}-{runtime_id}",
                createdAt=block_time(self.head),
                runtimeId=runtime_id,
                groupId=group_id,
                membershipId=_id(member),
                isLead=is_lead,
                isActive=is_active,
            )
            self.workers.append(worker)
            return worker

    def council(self, *, members: list[Any], is_resigned: bool = False, elected_at_block: int | None = None):
        with self.lock:
            council = ElectedCouncil(
                store=self,
                id=self._next_id(),
                createdAt=block_time(self.head),
                electedAtBlock=self.head if elected_at_block is None else elected_at_block,
                isResigned=is_resigned,
            )
            self.councils[council.id] = council
            for member in members:
                self.council_members.append(
                    CouncilMember(
                        store=self,
                        id=self._next_id(),
                        createdAt=council.createdAt,
                        memberId=_id(member),
                        electedInCouncilId=council.id,
                    )
                )
            return council
