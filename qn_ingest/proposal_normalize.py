"""Proposal event answers (NOTIFY_EVENTS) → the dataclasses of proposal_events.py.

The councils in office are read once per page that has a proposal entering Deciding
(`proposal_page_prepare`), never per event.
"""

from __future__ import annotations

from typing import Any

from qn_ingest.actions import first_event_of_the_action
from qn_ingest.events import Author
from qn_ingest.fetch import QueryNodeReader
from qn_ingest.proposal_events import (
    APPROVED_STATUSES,
    CANCELLED,
    DECIDING,
    DECISION_MADE,
    EXECUTED,
    STATUS_UPDATED,
    STATUS_WORDS,
    ProposalCreated,
    ProposalStatusChanged,
    ProposalVoted,
)

# The field of each status event that holds its new status (a union: read by __typename).
_STATUS_FIELDS = {STATUS_UPDATED: "newStatus", DECISION_MADE: "decisionStatus", EXECUTED: "executionStatus"}
CANCELLED_STATUS = "ProposalStatusCancelled"


def _author(member: dict[str, Any]) -> Author:
    return Author(id=int(member["id"]), handle=str(member.get("handle") or ""))


def _position(node: dict[str, Any]) -> tuple[int, int]:
    return int(node["inBlock"]), int(node.get("indexInBlock") or 0)


def _new_status(node: dict[str, Any]) -> str:
    typename = node["__typename"]
    status = CANCELLED_STATUS if typename == CANCELLED else node[_STATUS_FIELDS[typename]]["__typename"]
    if status not in STATUS_WORDS:
        raise ValueError(f"unknown proposal status {status!r}")
    return status


def _needs_council(node: dict[str, Any]) -> bool:
    """A new proposal, or one back in Deciding: the council in office is called to vote."""
    typename = node.get("__typename")
    if typename == "ProposalCreatedEvent":
        return True
    return typename == STATUS_UPDATED and (node.get("newStatus") or {}).get("__typename") == DECIDING


def proposal_page_prepare(nodes: list[dict[str, Any]], reader: QueryNodeReader) -> None:
    """Load the councils in office over the blocks of the page's events that call councillors."""
    blocks = [node["inBlock"] for node in nodes if _needs_council(node)]
    if blocks:
        reader.council_terms_load(min(blocks), max(blocks))


def _previous_status(proposal: dict[str, Any], position: tuple[int, int]) -> str:
    """The status set by the proposal's last status update before this event; a proposal
    without one is still in Deciding, where every proposal starts."""
    earlier = [
        (_position(update), update["newStatus"]["__typename"])
        for update in proposal.get("proposalStatusUpdates") or []
        if _position(update) < position
    ]
    previous = max(earlier)[1] if earlier else DECIDING
    return previous if previous in STATUS_WORDS else DECIDING


def _first_event_of_the_decision(proposal: dict[str, Any], node: dict[str, Any]) -> str | None:
    """The chain emits a decision as ProposalDecisionMadeEvent, then (an approval) the
    ProposalStatusUpdatedEvent to Gracing/Dormant, or (a cancellation) ProposalCancelledEvent,
    in one block. The first of them in the block carries the notification; this returns its
    id when it is another event than `node` (docs/kinds/proposals.md)."""
    same_action = [
        *(proposal.get("proposaldecisionmadeeventproposal") or []),
        *(proposal.get("proposalcancelledeventproposal") or []),
        *(
            update
            for update in proposal.get("proposalStatusUpdates") or []
            if update["newStatus"]["__typename"] in APPROVED_STATUSES
        ),
    ]
    return first_event_of_the_action(node, same_action)


def _is_part_of_a_decision(node: dict[str, Any], status: str) -> bool:
    typename = node["__typename"]
    return typename in (DECISION_MADE, CANCELLED) or (
        typename == STATUS_UPDATED and status in APPROVED_STATUSES
    )


def proposal_created(
    node: dict[str, Any], base: dict[str, Any], reader: QueryNodeReader, earlier
) -> ProposalCreated:
    proposal = node["proposal"]
    return ProposalCreated(
        **base,
        proposal_id=str(proposal["id"]),
        proposal_title=str(proposal.get("title") or ""),
        author=_author(proposal["creator"]),
        council_member_ids=reader.council_member_ids_at(base["in_block"]),
    )


def proposal_status_changed(
    node: dict[str, Any], base: dict[str, Any], reader: QueryNodeReader, earlier
) -> ProposalStatusChanged:
    proposal = node["proposal"]
    status = _new_status(node)
    creator = _author(proposal["creator"])
    execution = node.get("executionStatus") or {}
    continues = _first_event_of_the_decision(proposal, node) if _is_part_of_a_decision(node, status) else None
    return ProposalStatusChanged(
        **base,
        continues_event_id=continues,
        source_type=node["__typename"],
        proposal_id=str(proposal["id"]),
        proposal_title=str(proposal.get("title") or ""),
        creator_id=creator.id,
        status=status,
        previous_status=_previous_status(proposal, _position(node)),
        error_message=str(execution.get("errorMessage") or ""),
        # Only the creator can cancel a proposal (the runtime's cancellations say so in their status).
        author=creator if status == CANCELLED_STATUS else None,
        council_member_ids=reader.council_member_ids_at(base["in_block"])
        if _needs_council(node)
        else frozenset(),
    )


def proposal_voted(
    node: dict[str, Any], base: dict[str, Any], reader: QueryNodeReader, earlier
) -> ProposalVoted:
    proposal = node["proposal"]
    return ProposalVoted(
        **base,
        proposal_id=str(proposal["id"]),
        proposal_title=str(proposal.get("title") or ""),
        creator_id=_author(proposal["creator"]).id,
        author=_author(node["voter"]),
        vote_kind=str(node["voteKind"]),
        rationale=str(node.get("voteRationale") or ""),
        voting_round=int(node.get("votingRound") or 1),
    )


# Registered in normalize.NORMALIZERS.
PROPOSAL_NORMALIZERS = {
    "ProposalCreatedEvent": proposal_created,
    **{
        event_type: proposal_status_changed
        for event_type in (STATUS_UPDATED, DECISION_MADE, EXECUTED, CANCELLED)
    },
    "ProposalVotedEvent": proposal_voted,
}
