"""Normalised proposal events for planning tests, built directly as dataclasses."""

from __future__ import annotations

from qn_ingest.events import Author
from qn_ingest.proposal_events import (
    DECIDING,
    DECISION_MADE,
    STATUS_UPDATED,
    ProposalCreated,
    ProposalStatusChanged,
    ProposalVoted,
)
from tests.planning.builders import OUTSIDER, _next_event_id


def proposal_created(
    *, proposal_id: str = "pr1", creator_id: int = OUTSIDER, council: frozenset[int] = frozenset()
) -> ProposalCreated:
    event_id, block = _next_event_id()
    return ProposalCreated(
        event_id=event_id,
        in_block=block,
        proposal_id=proposal_id,
        proposal_title=f"Proposal {proposal_id}",
        author=Author(creator_id, f"handle{creator_id}"),
        council_member_ids=council,
    )


def status_changed(
    *,
    proposal_id: str = "pr1",
    creator_id: int | None = OUTSIDER,
    source_type: str = DECISION_MADE,
    status: str = "ProposalStatusGracing",
    previous_status: str | None = DECIDING,
    council: frozenset[int] = frozenset(),
    author_id: int | None = None,
    continues_event_id: str | None = None,
    event_id: str | None = None,
    in_block: int | None = None,
    error_message: str = "",
) -> ProposalStatusChanged:
    new_id, block = _next_event_id()
    return ProposalStatusChanged(
        event_id=event_id or new_id,
        in_block=in_block or block,
        continues_event_id=continues_event_id,
        source_type=source_type,
        proposal_id=proposal_id,
        proposal_title=f"Proposal {proposal_id}",
        creator_id=creator_id,
        status=status,
        previous_status=previous_status,
        error_message=error_message,
        author=Author(author_id, f"handle{author_id}") if author_id is not None else None,
        council_member_ids=council,
    )


def back_in_deciding(*, council: frozenset[int], creator_id: int = OUTSIDER) -> ProposalStatusChanged:
    return status_changed(
        source_type=STATUS_UPDATED,
        status=DECIDING,
        previous_status="ProposalStatusDormant",
        council=council,
        creator_id=creator_id,
    )


def proposal_voted(
    *,
    proposal_id: str = "pr1",
    creator_id: int | None = OUTSIDER,
    voter_id: int = OUTSIDER,
    vote_kind: str = "APPROVE",
    rationale: str = "Looks good",
    voting_round: int = 1,
) -> ProposalVoted:
    event_id, block = _next_event_id()
    return ProposalVoted(
        event_id=event_id,
        in_block=block,
        proposal_id=proposal_id,
        proposal_title=f"Proposal {proposal_id}",
        creator_id=creator_id,
        author=Author(voter_id, f"handle{voter_id}"),
        vote_kind=vote_kind,
        rationale=rationale,
        voting_round=voting_round,
    )
