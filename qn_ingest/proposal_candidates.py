"""Whom each proposal event concerns, kind by kind (docs/kinds/proposals.md). The `_ALL` kinds
(role EVERYONE) need no builder; the author (voter, canceller) is removed by the resolution."""

from __future__ import annotations

from qn_ingest.events import Roles
from qn_ingest.proposal_events import ProposalCreated, ProposalStatusChanged, ProposalVoted
from subscriptions.resolution import Candidate, EntityCandidate, GeneralCandidate


def _members(member_id: int | None) -> frozenset[int]:
    return frozenset() if member_id is None else frozenset({member_id})


def proposal_created_candidates(event: ProposalCreated, roles: Roles) -> list[Candidate]:
    # Nobody can watch a proposal before it exists: no entity candidate.
    return [GeneralCandidate("PROPOSAL_DECIDING_COUNCIL", event.council_member_ids)]


def proposal_status_candidates(event: ProposalStatusChanged, roles: Roles) -> list[Candidate]:
    council = (
        [GeneralCandidate("PROPOSAL_DECIDING_COUNCIL", event.council_member_ids)]
        if event.enters_deciding
        else []
    )
    return [
        GeneralCandidate("PROPOSAL_STATUS_CREATOR", _members(event.creator_id)),
        *council,
        EntityCandidate("PROPOSAL_ENTITY_STATUS", str(event.proposal_id)),
    ]


def proposal_vote_candidates(event: ProposalVoted, roles: Roles) -> list[Candidate]:
    return [
        GeneralCandidate("PROPOSAL_VOTE_CREATOR", _members(event.creator_id)),
        EntityCandidate("PROPOSAL_ENTITY_VOTE", str(event.proposal_id)),
    ]


# Registered in candidates.CANDIDATE_BUILDERS.
PROPOSAL_CANDIDATE_BUILDERS = {
    ProposalCreated: proposal_created_candidates,
    ProposalStatusChanged: proposal_status_candidates,
    ProposalVoted: proposal_vote_candidates,
}
