"""Council and election events, normalised (docs/kinds/council.md): a new council, a new
announcing period (regular or after a failed round), the revealing stage with the round's
voters, and candidacies. Plain, immutable data like qn_ingest.events."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from qn_ingest.council_voters import VoteAccount
from qn_ingest.events import Author, BaseEvent

# The events that start a new announcing period: the regular start, and the two failures
# after which the chain restarts the election at once (without an AnnouncingPeriodStartedEvent).
ANNOUNCING_STARTED = "AnnouncingPeriodStartedEvent"
ROUND_FAILURES = {
    "NotEnoughCandidatesEvent": "not enough members announced their candidacy",
    "NewCouncilNotElectedEvent": "not enough candidates received votes to form a council",
}
ROUND_STARTING_TYPES = (ANNOUNCING_STARTED, *ROUND_FAILURES)


@dataclass(frozen=True, kw_only=True)
class AnnouncingPeriodStarted(BaseEvent):
    """A new announcing period. `event_id` is the round's key, not necessarily this event's
    own id: the first round-starting event of the block (chain order), so that every event of
    one restart yields the same (member, event) and reaches a member once."""

    source_type: str  # the query-node type read: one of ROUND_STARTING_TYPES
    # The failure event type found in the round's block (the previous round failed), or None.
    failed_round: str | None = None

    @property
    def event_type(self) -> str:  # type: ignore[override]  # one class for three query-node types
        return self.source_type


@dataclass(frozen=True, kw_only=True)
class RevealingStageStarted(BaseEvent):
    event_type: ClassVar[str] = "RevealingStageStartedEvent"

    # Members whose accounts (root, controller, bound or watched) cast a vote in the round being
    # revealed, and for each of them those accounts: each must reveal its own vote.
    voter_ids: frozenset[int] = frozenset()
    voter_accounts: Mapping[int, tuple[VoteAccount, ...]] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class CouncilElected(BaseEvent):
    event_type: ClassVar[str] = "NewCouncilElectedEvent"

    council_id: str
    councillors: tuple[Author, ...]  # in the query node's order


@dataclass(frozen=True, kw_only=True)
class CandidacyChanged(BaseEvent):
    """A member announced (NewCandidateEvent) or withdrew (CandidacyWithdrawEvent) candidacy."""

    source_type: str
    author: Author  # the candidate: nobody is told of their own candidacy
    candidate_id: str

    @property
    def event_type(self) -> str:  # type: ignore[override]  # one class for two query-node types
        return self.source_type

    @property
    def withdrawn(self) -> bool:
        return self.source_type == "CandidacyWithdrawEvent"
