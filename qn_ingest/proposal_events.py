"""Proposal events, normalised (issue 11; rules in docs/kinds/proposals.md).

Statuses are the query node's status type names (`ProposalStatusGracing`, ...); `STATUS_WORDS`
says them as Pioneer shows them and `STATUS_OUTCOMES` says what happened to the proposal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from qn_ingest.events import Author, BaseEvent

DECIDING = "ProposalStatusDeciding"
GRACING = "ProposalStatusGracing"
DORMANT = "ProposalStatusDormant"

STATUS_WORDS: dict[str, str] = {
    DECIDING: "Deciding",
    GRACING: "Gracing",
    DORMANT: "Dormant",
    "ProposalStatusVetoed": "Vetoed",
    "ProposalStatusSlashed": "Slashed",
    "ProposalStatusRejected": "Rejected",
    "ProposalStatusExpired": "Expired",
    "ProposalStatusCancelled": "Canceled",
    "ProposalStatusCanceledByRuntime": "Canceled",
    "ProposalStatusExecuted": "Executed",
    "ProposalStatusExecutionFailed": "Execution failed",
}
# An approval leaves the proposal in its grace period, or Dormant until the next council
# confirms it (constitutionality above 1): the decision's word is "Approved" either way.
APPROVED_STATUSES = frozenset({GRACING, DORMANT})
STATUS_OUTCOMES: dict[str, str] = {
    DECIDING: "is now Deciding: the council votes on it",
    GRACING: "was approved — now in its grace period",
    DORMANT: "was approved — now Dormant until the next council confirms it",
    "ProposalStatusVetoed": "was vetoed",
    "ProposalStatusSlashed": "was rejected and slashed",
    "ProposalStatusRejected": "was rejected",
    "ProposalStatusExpired": "expired without a decision",
    "ProposalStatusCancelled": "was canceled by its creator",
    "ProposalStatusCanceledByRuntime": "was canceled by the runtime",
    "ProposalStatusExecuted": "was executed",
    "ProposalStatusExecutionFailed": "failed to execute",
}
VOTE_WORDS: dict[str, str] = {
    "APPROVE": "Approve",
    "REJECT": "Reject",
    "SLASH": "Slash",
    "ABSTAIN": "Abstain",
}

STATUS_UPDATED = "ProposalStatusUpdatedEvent"
DECISION_MADE = "ProposalDecisionMadeEvent"
EXECUTED = "ProposalExecutedEvent"
CANCELLED = "ProposalCancelledEvent"
STATUS_EVENT_TYPES = (STATUS_UPDATED, DECISION_MADE, EXECUTED, CANCELLED)


@dataclass(frozen=True, kw_only=True)
class ProposalCreated(BaseEvent):
    event_type: ClassVar[str] = "ProposalCreatedEvent"

    proposal_id: str
    proposal_title: str
    author: Author  # the proposal's creator
    # The council in office at the event's block: a new proposal starts in Deciding.
    council_member_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, kw_only=True)
class ProposalStatusChanged(BaseEvent):
    """A decision, an intermediate status, an execution or a cancellation: one class for the
    four query-node types, which concern the same members and say the same kind of thing."""

    source_type: str  # the query-node type, one of STATUS_EVENT_TYPES
    proposal_id: str
    proposal_title: str
    creator_id: int | None
    status: str  # the new status (a key of STATUS_WORDS)
    previous_status: str | None = None  # the status before, when the query node tells it
    error_message: str = ""  # why an execution failed
    # Who acted, when a member did: the creator cancels their own proposal. Else the runtime.
    author: Author | None = None
    # The council in office at the event's block, when the proposal (re)enters Deciding.
    council_member_ids: frozenset[int] = frozenset()

    @property
    def event_type(self) -> str:  # type: ignore[override]  # one class for four query-node types
        return self.source_type

    @property
    def is_decision(self) -> bool:
        return self.source_type == DECISION_MADE

    @property
    def enters_deciding(self) -> bool:
        """Back in Deciding (from Dormant, under a new council): the council is called to vote."""
        return self.source_type == STATUS_UPDATED and self.status == DECIDING


@dataclass(frozen=True, kw_only=True)
class ProposalVoted(BaseEvent):
    event_type: ClassVar[str] = "ProposalVotedEvent"

    proposal_id: str
    proposal_title: str
    creator_id: int | None
    author: Author  # the voter
    vote_kind: str  # APPROVE, REJECT, SLASH or ABSTAIN
    rationale: str
    voting_round: int


PROPOSAL_EVENT_CLASSES = (ProposalCreated, ProposalStatusChanged, ProposalVoted)
