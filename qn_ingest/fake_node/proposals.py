"""Fake query-node builders for proposals moving through their statuses, votes, decisions,
executions and councils, shaped like the real schema and emitted in the chain's order:

    proposal = create_proposal(data, creator=alice, title="Fund the forum")
    vote(data, proposal=proposal, voter=bob, kind="APPROVE", rationale="Good idea")
    decide(data, proposal=proposal, decision="Gracing")   # DecisionMade, then StatusUpdated
    execute(data, proposal=proposal)

Each builder appends its events to the store (by default in the next block; `block=` puts
several in one block) and returns them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qn_ingest.fake_node.store import (
    ElectedCouncil,
    Event,
    Membership,
    Proposal,
    QueryNodeData,
    _id,
    block_time,
)

INTERMEDIATE = {"Deciding", "Gracing", "Dormant"}
DECISIONS = {
    "Gracing",
    "Dormant",
    "Vetoed",
    "Slashed",
    "Rejected",
    "Expired",
    "Cancelled",
    "CanceledByRuntime",
}


@dataclass(eq=False)
class ProposalStatus:
    """A value of the ProposalStatus unions: its type, and the event that set it."""

    typename: str
    event: Event | None = None
    errorMessage: str | None = None  # noqa: N815 - GraphQL field name

    @property
    def proposalStatusUpdatedEvent(self) -> Event | None:  # noqa: N802
        return self.event

    @property
    def proposalDecisionMadeEvent(self) -> Event | None:  # noqa: N802
        return self.event

    @property
    def proposalExecutedEvent(self) -> Event | None:  # noqa: N802
        return self.event

    @property
    def cancelledInEvent(self) -> Event | None:  # noqa: N802
        return self.event


@dataclass(eq=False)
class ProposalEvent(Event):
    proposalId: str | None = None  # noqa: N815
    newStatus: ProposalStatus | None = None  # noqa: N815
    decisionStatus: ProposalStatus | None = None  # noqa: N815
    executionStatus: ProposalStatus | None = None  # noqa: N815
    voterId: str | None = None  # noqa: N815
    voteKind: str | None = None  # noqa: N815
    rationale: str | None = None
    votingRound: int | None = None  # noqa: N815

    @property
    def proposal(self) -> Proposal:
        return self.store.proposals[self.proposalId]

    @property
    def voter(self) -> Membership | None:
        return self.store.members[self.voterId] if self.voterId else None


def _event(data: QueryNodeData, typename: str, block: int | None, **fields: Any) -> ProposalEvent:
    block, index = data._position(block)
    event = ProposalEvent(
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


def _status(event: ProposalEvent, field: str, name: str, error: str | None = None) -> ProposalEvent:
    setattr(event, field, ProposalStatus(f"ProposalStatus{name}", event, error))
    return event


def create_proposal(
    data: QueryNodeData,
    *,
    creator: Any,
    title: str | None = None,
    block: int | None = None,
    id: str | None = None,
) -> Proposal:
    """A proposal and its ProposalCreatedEvent (the proposal starts in Deciding)."""
    with data.lock:
        proposal = data.proposal(creator=creator, title=title, id=id)
        _event(data, "ProposalCreatedEvent", block, proposalId=proposal.id)
        return proposal


def vote(
    data: QueryNodeData,
    *,
    proposal: Any,
    voter: Any,
    kind: str = "APPROVE",
    rationale: str = "",
    voting_round: int = 1,
    block: int | None = None,
) -> ProposalEvent:
    with data.lock:
        return _event(
            data,
            "ProposalVotedEvent",
            block,
            proposalId=_id(proposal),
            voterId=_id(voter),
            voteKind=kind,
            rationale=rationale,
            votingRound=voting_round,
        )


def set_status(data: QueryNodeData, *, proposal: Any, status: str, block: int | None = None) -> ProposalEvent:
    """A ProposalStatusUpdatedEvent alone, e.g. a Dormant proposal back in Deciding under a new council."""
    if status not in INTERMEDIATE:
        raise ValueError(f"an intermediate status is one of {sorted(INTERMEDIATE)}, not {status!r}")
    with data.lock:
        event = _event(data, "ProposalStatusUpdatedEvent", block, proposalId=_id(proposal))
        return _status(event, "newStatus", status)


def decide(
    data: QueryNodeData, *, proposal: Any, decision: str, block: int | None = None
) -> list[ProposalEvent]:
    """A council (or runtime) decision as the chain emits it, all in one block: the
    ProposalDecisionMadeEvent, then the status update of an approval (Gracing / Dormant) or the
    ProposalCancelledEvent of a cancellation by the creator ("Cancelled")."""
    if decision not in DECISIONS:
        raise ValueError(f"a decision is one of {sorted(DECISIONS)}, not {decision!r}")
    with data.lock:
        block = data.head + 1 if block is None else block
        made = _status(
            _event(data, "ProposalDecisionMadeEvent", block, proposalId=_id(proposal)),
            "decisionStatus",
            decision,
        )
        events = [made]
        if decision in INTERMEDIATE:
            events.append(set_status(data, proposal=proposal, status=decision, block=block))
        if decision == "Cancelled":
            events.append(_event(data, "ProposalCancelledEvent", block, proposalId=_id(proposal)))
        return events


def execute(
    data: QueryNodeData, *, proposal: Any, error: str | None = None, block: int | None = None
) -> ProposalEvent:
    """A ProposalExecutedEvent: executed, or failed with `error`."""
    with data.lock:
        event = _event(data, "ProposalExecutedEvent", block, proposalId=_id(proposal))
        return _status(event, "executionStatus", "ExecutionFailed" if error else "Executed", error)


def elect_council(data: QueryNodeData, *, members: list[Any], block: int | None = None) -> ElectedCouncil:
    """A new council elected at `block` (default: the next block); the one in office ends there."""
    with data.lock:
        block = data.head + 1 if block is None else block
        data.head = max(data.head, block)
        for council in data.councils.values():
            if not council.isResigned:
                council.isResigned, council.endedAtBlock = True, block
        return data.council(members=members, elected_at_block=block)
