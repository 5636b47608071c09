"""What the deadline reminders read from the query node, once per run (docs/kinds/reminders.md):
the proposals in their deciding stage with who voted in the current round, the election stage
that runs now, and who already acted in it (announced candidacy, voted). A constant number of
(paged) queries, whatever the number of members; votes are matched to members by
qn_ingest.council_voters, as for the reveal notification (unrevealed votes too).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from qn_ingest import reminder_queries as queries
from qn_ingest.council_events import ROUND_STARTING_TYPES
from qn_ingest.council_voters import voters_in_ranges
from qn_ingest.events import ElectionStage
from qn_ingest.fetch import QueryNodeReader, _list
from qn_ingest.normalize import _time
from qn_ingest.proposal_events import DECIDING
from subscriptions.kinds import EVENT_TYPES

logger = logging.getLogger(__name__)

PROPOSALS_PAGE_SIZE = 200
CANDIDACIES_PAGE_SIZE = 1000

# The event that starts each stage; a new council ends the election (the council is idle).
_STAGE_OF = {
    **dict.fromkeys(ROUND_STARTING_TYPES, ElectionStage.ANNOUNCING),
    "VotingPeriodStartedEvent": ElectionStage.VOTING,
    "RevealingStageStartedEvent": ElectionStage.REVEALING,
}


@dataclass(frozen=True)
class DecidingProposal:
    id: str
    title: str
    details_type: str  # its member of the ProposalDetails union
    deciding_since: int  # the block its voting period started: its creation or its return to Deciding
    voter_ids: frozenset[int]  # members who voted since then (in this voting round)


@dataclass(frozen=True)
class ElectionStageNow:
    stage: ElectionStage
    started_at: int


def _paged(reader: QueryNodeReader, document: str, key: str, size: int, variables: dict) -> list[dict]:
    rows: list[dict] = []
    offset = 0
    while True:
        page = _list(reader.client.execute(document, {**variables, "limit": size, "offset": offset}), key)
        rows += page
        if len(page) < size:
            return rows
        offset += size


def _member_id(member: Any) -> int | None:
    value = member.get("id") if isinstance(member, dict) else None
    return int(value) if isinstance(value, str | int) and str(value).isdigit() else None


def _deciding(node: dict) -> DecidingProposal | None:
    if (node.get("status") or {}).get("__typename") != DECIDING:
        return None
    since, details = node.get("statusSetAtBlock"), (node.get("details") or {}).get("__typename")
    if not isinstance(since, int) or not node.get("id") or not details:
        logger.warning("Ignoring a proposal the query node describes oddly: %r", node.get("id"))
        return None
    voters = {
        member_id
        for vote in node.get("votes") or []
        if isinstance(vote, dict)
        and isinstance(vote.get("inBlock"), int)
        and vote["inBlock"] >= since
        and (member_id := _member_id(vote.get("voter"))) is not None
    }
    return DecidingProposal(
        id=str(node["id"]),
        title=str(node.get("title") or ""),
        details_type=str(details),
        deciding_since=since,
        voter_ids=frozenset(voters),
    )


def deciding_proposals(reader: QueryNodeReader) -> list[DecidingProposal]:
    """The proposals in their deciding stage, with the members who voted in the current round."""
    nodes = _paged(reader, queries.OPEN_PROPOSALS, "proposals", PROPOSALS_PAGE_SIZE, {})
    return [proposal for node in nodes if (proposal := _deciding(node)) is not None]


def election_stage_now(reader: QueryNodeReader) -> ElectionStageNow | None:
    """The stage the election is in and the block it started, or None when the council is idle."""
    nodes = _list(reader.client.execute(queries.LATEST_ELECTION_STAGE), "events")
    if not nodes or not isinstance(nodes[0].get("inBlock"), int):
        return None
    stage = _STAGE_OF.get(nodes[0].get("__typename"))
    return None if stage is None else ElectionStageNow(stage=stage, started_at=nodes[0]["inBlock"])


def candidate_ids_since(reader: QueryNodeReader, block: int) -> frozenset[int]:
    """Members who announced candidacy from `block` on (in the announcing period that started there)."""
    nodes = _paged(reader, queries.CANDIDACIES_SINCE, "events", CANDIDACIES_PAGE_SIZE, {"block": block})
    return frozenset(
        member_id
        for node in nodes
        if (member_id := _member_id((node.get("candidate") or {}).get("member"))) is not None
    )


def voter_ids_between(reader: QueryNodeReader, first: int, last: int) -> frozenset[int]:
    """Members who cast a vote from block `first` to `last` (the voting stage so far)."""
    return voters_in_ranges(reader, {"round": (first, last)}).get("round", frozenset())


def newest_event(reader: QueryNodeReader) -> tuple[int, datetime] | None:
    """(block, time) of the newest event of a type the ingest reads, or None."""
    nodes = _list(reader.client.execute(queries.NEWEST_EVENT, {"types": list(EVENT_TYPES)}), "events")
    if not nodes:
        return None
    block, at = nodes[0].get("inBlock"), _time(nodes[0].get("createdAt"))
    return (block, at) if isinstance(block, int) and at is not None else None
