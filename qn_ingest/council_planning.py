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
from qn_ingest.council_voters import VoteAccount
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


def _voter_accounts_data(event: RevealingStageStarted, member_id: int) -> dict:
    # Each account the member voted from must reveal its own vote: the email and the feed name them.
    accounts = event.voter_accounts.get(member_id, ())
    return {"accounts": [vote_account_data(account) for account in accounts]} if accounts else {}


def vote_account_data(account: VoteAccount) -> dict:
    """An account as the display data's `accounts` list stores it (presentation.account_names)."""
    return {"address": str(account.address), "label": str(account.label)}


COUNCIL_RECIPIENT_DATA_BUILDERS = {RevealingStageStarted: _voter_accounts_data}

COUNCIL_DISPLAY_DATA_BUILDERS = {
    AnnouncingPeriodStarted: _announcing_data,
    RevealingStageStarted: lambda event: _stage("REVEALING"),
    CouncilElected: _council_data,
    CandidacyChanged: _candidacy_data,
}
