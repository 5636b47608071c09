"""The fake query node's council and elections (schema in schema_council.graphql): failed rounds, a
new council, candidacies and votes, each with its event in a block like the real node's.

Factories are functions over a QueryNodeData (`council.vote(data, account=...)`); the query
resolvers are the CouncilQueries mixin of execution.QueryRoot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .store import ElectedCouncil, Entity, Event, Membership, QueryNodeData, _id, block_time

ROUND_FAILURES = ("NotEnoughCandidatesEvent", "NewCouncilNotElectedEvent")


@dataclass(eq=False)
class Candidate(Entity):
    memberId: str

    @property
    def member(self) -> Membership:
        return self.store.members[self.memberId]


@dataclass(eq=False)
class CastVote(Entity):
    castBy: str
    voteForId: str | None = None  # the candidate, once the vote is revealed


@dataclass(eq=False)
class CouncilEvent(Event):
    """An event that refers to a council, a candidate or a vote."""

    electedCouncilId: str | None = None
    candidateId: str | None = None
    castVoteId: str | None = None
    # The objects themselves: the store keeps no table of candidates or votes.
    candidate: Candidate | None = None
    castVote: CastVote | None = None

    @property
    def electedCouncil(self) -> ElectedCouncil | None:
        return self.store.councils.get(self.electedCouncilId) if self.electedCouncilId else None


def _event(data: QueryNodeData, typename: str, block: int | None, **fields: Any) -> CouncilEvent:
    """Like QueryNodeData._event, for the council's event types."""
    block, index = data._position(block)
    event = CouncilEvent(
        store=data,
        id=f"{block}-{index}",
        createdAt=block_time(block, index),
        typename=typename,
        inBlock=block,
        indexInBlock=index,
        **fields,
    )
    data.events.append(event)
    return event


def round_failed(data: QueryNodeData, failure: str, *, block: int | None = None) -> CouncilEvent:
    """NotEnoughCandidatesEvent or NewCouncilNotElectedEvent: the chain starts a new announcing period."""
    if failure not in ROUND_FAILURES:
        raise ValueError(f"unknown round failure {failure!r}; one of {ROUND_FAILURES}")
    with data.lock:
        return _event(data, failure, block)


def council_elected(data: QueryNodeData, *, members: list[Any], block: int | None = None) -> CouncilEvent:
    """A new council (the one in office resigns, as the real node records it) and its event."""
    with data.lock:
        block, _ = data._position(block)
        for council in data.councils.values():
            if not council.isResigned:
                council.isResigned, council.endedAtBlock = True, block
        council = data.council(members=members, elected_at_block=block)
        return _event(data, "NewCouncilElectedEvent", block, electedCouncilId=council.id)


def candidacy(
    data: QueryNodeData, *, member: Any, withdraw: bool = False, block: int | None = None
) -> CouncilEvent:
    """A member announces (or withdraws) candidacy: NewCandidateEvent / CandidacyWithdrawEvent."""
    with data.lock:
        candidate = Candidate(
            store=data, id=data._next_id(), createdAt=block_time(data.head), memberId=_id(member)
        )
        typename = "CandidacyWithdrawEvent" if withdraw else "NewCandidateEvent"
        return _event(data, typename, block, candidateId=candidate.id, candidate=candidate)


def vote(data: QueryNodeData, *, account: str, block: int | None = None) -> CouncilEvent:
    """A vote cast by an account (a member's root, controller or bound account, or nobody's)."""
    with data.lock:
        cast = CastVote(store=data, id=data._next_id(), createdAt=block_time(data.head), castBy=account)
        return _event(data, "VoteCastEvent", block, castVoteId=cast.id, castVote=cast)


def reveal(
    data: QueryNodeData, *, vote: CouncilEvent, candidate: Any = None, block: int | None = None
) -> CouncilEvent:
    """The vote (a VoteCastEvent from `vote`) is revealed: a VoteRevealedEvent, and the cast vote
    names its candidate from then on, as the real node records it."""
    with data.lock:
        cast = vote.castVote
        if cast is None:
            raise ValueError("only a VoteCastEvent's vote can be revealed")
        cast.voteForId = _id(candidate) if candidate is not None else cast.voteForId or data._next_id()
        return _event(data, "VoteRevealedEvent", block, castVoteId=cast.id, castVote=cast)


class CouncilQueries:
    """Root fields of schema_council.graphql (mixed into execution.QueryRoot, which has `data`)."""

    data: QueryNodeData

    def _of_type(self, typename: str) -> list[Event]:
        return [event for event in self.data.events if event.typename == typename]

    def votingPeriodStartedEvents(self, _info, **args) -> list:  # noqa: N802 - GraphQL field name
        from .execution import select  # execution imports this module

        return select(self._of_type("VotingPeriodStartedEvent"), **args)

    def voteCastEvents(self, _info, **args) -> list:  # noqa: N802
        from .execution import select

        return select(self._of_type("VoteCastEvent"), **args)

    def memberships(self, _info, **args) -> list:
        from .execution import select

        return select(list(self.data.members.values()), **args)
