"""Council and election events: query-node answers → qn_ingest.council_events, and the page
pass that completes them with what the page's own nodes cannot say (docs/kinds/council.md).

The pass reads the query node a constant number of times per page that needs it, never per
event: the round-starting events of the page's announcing blocks (to key each round on its
first event), and for revealing stages the votes of their rounds and the members the voting
accounts belong to (qn_ingest.council_voters).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from qn_ingest import council_queries as queries
from qn_ingest.council_events import (
    ROUND_FAILURES,
    ROUND_STARTING_TYPES,
    AnnouncingPeriodStarted,
    CandidacyChanged,
    CouncilElected,
    RevealingStageStarted,
)
from qn_ingest.council_voters import VoteAccounts, vote_accounts_in_ranges, voting_ranges
from qn_ingest.events import Author, QueryNodeEvent
from qn_ingest.fetch import QueryNodeReader, _list


def _member(member: dict[str, Any]) -> Author:
    return Author(id=int(member["id"]), handle=str(member.get("handle") or ""))


def _announcing(node: dict[str, Any], base: dict[str, Any], *_: Any) -> AnnouncingPeriodStarted:
    # The round's key and its failure are filled in by council_page_complete.
    return AnnouncingPeriodStarted(**base, source_type=node["__typename"])


def _revealing(node: dict[str, Any], base: dict[str, Any], *_: Any) -> RevealingStageStarted:
    return RevealingStageStarted(**base)  # the voters are filled in by council_page_complete


def _council_elected(node: dict[str, Any], base: dict[str, Any], *_: Any) -> CouncilElected:
    council = node["electedCouncil"]
    councillors = {
        member.id: member
        for member in (_member(seat["member"]) for seat in council.get("councilMembers") or [])
    }
    return CouncilElected(
        **base, council_id=str(council["id"]), councillors=tuple(councillors[i] for i in sorted(councillors))
    )


def _candidacy(node: dict[str, Any], base: dict[str, Any], *_: Any) -> CandidacyChanged:
    candidate = node["candidate"]
    return CandidacyChanged(
        **base,
        source_type=node["__typename"],
        author=_member(candidate["member"]),
        candidate_id=str(candidate["id"]),
    )


# Registered in normalize.NORMALIZERS; they replace the plain stage normalizer for the
# announcing and revealing stages.
COUNCIL_NORMALIZERS = {
    **dict.fromkeys(ROUND_STARTING_TYPES, _announcing),
    "RevealingStageStartedEvent": _revealing,
    "NewCouncilElectedEvent": _council_elected,
    "NewCandidateEvent": _candidacy,
    "CandidacyWithdrawEvent": _candidacy,
}


# --- rounds: one key per announcing period -------------------------------------------------
def _round_starts(reader: QueryNodeReader, blocks: set[int]) -> dict[int, tuple[str, str | None]]:
    """block → (id of its first round-starting event, the failure type among them or None)."""
    nodes = _list(
        reader.client.execute(
            queries.ROUND_STARTS_IN_BLOCKS,
            {"blocks": sorted(blocks), "limit": len(blocks) * len(ROUND_STARTING_TYPES)},
        ),
        "events",
    )
    usable = [node for node in nodes if isinstance(node.get("inBlock"), int) and node.get("id")]
    rounds: dict[int, tuple[str, str | None]] = {}
    for node in sorted(usable, key=lambda n: (n["inBlock"], n.get("indexInBlock") or 0)):
        key, failure = rounds.get(node["inBlock"], (str(node["id"]), None))
        if failure is None and node.get("__typename") in ROUND_FAILURES:
            failure = node["__typename"]
        rounds[node["inBlock"]] = (key, failure)
    return rounds


def _rounds_complete(events: list[AnnouncingPeriodStarted], reader: QueryNodeReader) -> dict[str, Any]:
    rounds = _round_starts(reader, {event.in_block for event in events})
    completed = {}
    for event in events:
        # The event itself is always among its block's round starts; if the node says
        # otherwise, the event keeps its own id (it may then reach a member twice, never zero times).
        key, failure = rounds.get(event.in_block, (event.event_id, None))
        own_failure = event.source_type if event.source_type in ROUND_FAILURES else None
        completed[event.event_id] = dataclasses.replace(
            event, event_id=key, failed_round=failure or own_failure
        )
    return completed


# --- voters: members who cast a vote in the round being revealed ---------------------------
def _voters_by_reveal(reader: QueryNodeReader, reveal_blocks: list[int]) -> dict[int, VoteAccounts]:
    return vote_accounts_in_ranges(reader, voting_ranges(reader, reveal_blocks))


def council_page_complete(events: list[QueryNodeEvent], reader: QueryNodeReader) -> list[QueryNodeEvent]:
    """The page's events, the announcing periods keyed on their round and the revealing stages
    with their voters (registered in normalize.PAGE_PASSES)."""
    announcing = [event for event in events if isinstance(event, AnnouncingPeriodStarted)]
    reveals = [event for event in events if isinstance(event, RevealingStageStarted)]
    if not announcing and not reveals:
        return events
    rounds = _rounds_complete(announcing, reader) if announcing else {}
    voters = _voters_by_reveal(reader, sorted({event.in_block for event in reveals})) if reveals else {}
    completed: list[QueryNodeEvent] = []
    for event in events:
        if isinstance(event, AnnouncingPeriodStarted):
            event = rounds[event.event_id]
        elif isinstance(event, RevealingStageStarted):
            accounts = voters.get(event.in_block, {})
            event = dataclasses.replace(event, voter_ids=frozenset(accounts), voter_accounts=accounts)
        completed.append(event)
    return completed
