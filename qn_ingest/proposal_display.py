"""What proposal notifications store for the feed and the emails (the `proposal`, `status`,
`vote` and `author` parts the kinds table's templates name; shape in notifications/presentation.py)."""

from __future__ import annotations

from qn_ingest.events import Author
from qn_ingest.mentions import markdown_plain_text
from qn_ingest.proposal_events import (
    APPROVED_STATUSES,
    DECIDING,
    STATUS_OUTCOMES,
    STATUS_WORDS,
    VOTE_WORDS,
    ProposalCreated,
    ProposalStatusChanged,
    ProposalVoted,
)


def _author(author: Author) -> dict:
    return {"id": int(author.id), "handle": str(author.handle)}


def _proposal(event: ProposalCreated | ProposalStatusChanged | ProposalVoted) -> dict:
    return {"id": str(event.proposal_id), "title": str(event.proposal_title)}


def _status(status: str, previous: str | None, *, decision: bool, error: str = "") -> dict:
    new = STATUS_WORDS[status]
    part = {
        # A decision to approve is "Approved"; the proposal then waits in Gracing or Dormant.
        "name": "Approved" if decision and status in APPROVED_STATUSES else new,
        "change": f"{STATUS_WORDS[previous]} → {new}" if previous else new,
        "outcome": STATUS_OUTCOMES[status],
    }
    if error:
        part["error"] = error
    return part


def proposal_created_data(event: ProposalCreated) -> dict:
    return {
        "author": _author(event.author),
        "proposal": _proposal(event),
        "status": {**_status(DECIDING, None, decision=False), "outcome": "was created"},
    }


def proposal_status_data(event: ProposalStatusChanged) -> dict:
    data = {
        "proposal": _proposal(event),
        "status": _status(
            event.status, event.previous_status, decision=event.is_decision, error=event.error_message
        ),
    }
    if event.author is not None:
        data["author"] = _author(event.author)
    return data


def proposal_vote_data(event: ProposalVoted) -> dict:
    return {
        "author": _author(event.author),
        "proposal": _proposal(event),
        "vote": {
            "name": VOTE_WORDS.get(event.vote_kind, event.vote_kind.title()),
            "round": int(event.voting_round),
            # The rationale as plain text, shortened like a post excerpt; the email quotes it.
            "excerpt": markdown_plain_text(event.rationale),
        },
    }


# Registered in planning.DISPLAY_DATA_BUILDERS.
PROPOSAL_DISPLAY_DATA_BUILDERS = {
    ProposalCreated: proposal_created_data,
    ProposalStatusChanged: proposal_status_data,
    ProposalVoted: proposal_vote_data,
}
