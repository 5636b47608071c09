"""Normalised council and election events for planning tests (see builders.py)."""

from __future__ import annotations

from qn_ingest.council_events import (
    ROUND_FAILURES,
    AnnouncingPeriodStarted,
    CandidacyChanged,
    CouncilElected,
    RevealingStageStarted,
)
from qn_ingest.events import Author
from tests.planning.builders import _next_event_id


def announcing(source_type: str = "AnnouncingPeriodStartedEvent", *, key: str | None = None):
    """A new announcing period read from `source_type`; `key` is the round's key (its first event)."""
    event_id, block = _next_event_id()
    failed = source_type if source_type in ROUND_FAILURES else None
    return AnnouncingPeriodStarted(
        event_id=key or event_id, in_block=block, source_type=source_type, failed_round=failed
    )


def revealing(voter_ids: set[int] = frozenset()) -> RevealingStageStarted:
    event_id, block = _next_event_id()
    return RevealingStageStarted(event_id=event_id, in_block=block, voter_ids=frozenset(voter_ids))


def council_elected(*member_ids: int) -> CouncilElected:
    event_id, block = _next_event_id()
    councillors = tuple(Author(member_id, f"handle{member_id}") for member_id in member_ids)
    return CouncilElected(event_id=event_id, in_block=block, council_id="c1", councillors=councillors)


def candidacy(member_id: int, *, withdraw: bool = False) -> CandidacyChanged:
    event_id, block = _next_event_id()
    return CandidacyChanged(
        event_id=event_id,
        in_block=block,
        source_type="CandidacyWithdrawEvent" if withdraw else "NewCandidateEvent",
        author=Author(member_id, f"handle{member_id}"),
        candidate_id=f"cand{block}",
    )


# One event of every council event type, each yielding every kind it can (test_kinds_table).
COUNCIL_SAMPLE_EVENTS = [
    *(announcing(source_type) for source_type in ("AnnouncingPeriodStartedEvent", *ROUND_FAILURES)),
    revealing({2}),
    council_elected(2, 3),
    candidacy(2),
    candidacy(2, withdraw=True),
]
