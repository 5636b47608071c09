"""Whom the council and election events concern, and what their notifications store
(docs/kinds/council.md). Registered in candidates.CANDIDATE_BUILDERS and
planning.DISPLAY_DATA_BUILDERS; the kinds whose role is EVERYONE need no candidate here."""

from __future__ import annotations

from qn_ingest.council_events import (
    ROUND_FAILURES,
    AnnouncingPeriodStarted,
    CandidacyChanged,
    CouncilElected,
    RevealingStageStarted,
)
from qn_ingest.events import Author, Roles
from subscriptions.resolution import Candidate, GeneralCandidate


def _nobody_in_particular(event, roles: Roles) -> list[Candidate]:
    return []


def _council_elected_candidates(event: CouncilElected, roles: Roles) -> list[Candidate]:
    return [GeneralCandidate("ELECTION_COUNCIL_ELECTED_ME", frozenset(c.id for c in event.councillors))]


def _revealing_candidates(event: RevealingStageStarted, roles: Roles) -> list[Candidate]:
    return [GeneralCandidate("ELECTION_REVEALING_VOTER", frozenset(event.voter_ids))]


COUNCIL_CANDIDATE_BUILDERS = {
    AnnouncingPeriodStarted: _nobody_in_particular,
    RevealingStageStarted: _revealing_candidates,
    CouncilElected: _council_elected_candidates,
    CandidacyChanged: _nobody_in_particular,
}


def _person(author: Author) -> dict:
    return {"id": int(author.id), "handle": str(author.handle)}


def _stage(stage: str) -> dict:
    return {"election": {"stage": stage, "cycle_id": None}}


def _announcing_data(event: AnnouncingPeriodStarted) -> dict:
    data = _stage("ANNOUNCING")
    if event.failed_round:
        data["note"] = {
            "text": f"The previous election round failed: {ROUND_FAILURES[event.failed_round]}. "
            "A new announcing period has started."
        }
    return data


def _council_data(event: CouncilElected) -> dict:
    # `people` is a list of linked members: the shared email template lists them.
    return {"council": {"id": event.council_id}, "people": [_person(c) for c in event.councillors]}


def _candidacy_data(event: CandidacyChanged) -> dict:
    change = "withdrew their candidacy" if event.withdrawn else "announced their candidacy"
    return {"author": _person(event.author), "candidacy": {"id": event.candidate_id, "change": change}}


COUNCIL_DISPLAY_DATA_BUILDERS = {
    AnnouncingPeriodStarted: _announcing_data,
    RevealingStageStarted: lambda event: _stage("REVEALING"),
    CouncilElected: _council_data,
    CandidacyChanged: _candidacy_data,
}
