"""Proposal emails and feed entries (issue 11): the status words and old → new status, who
voted what with the rationale quoted and escaped, the councillor's call, and the exact link,
from data shaped as the ingest stores it."""

from __future__ import annotations

import pytest

from notifications.emails import notification_email_render
from notifications.presentation import notification_link, notification_message
from qn_ingest.planning import event_display_data
from tests.emails.conftest import PIONEER_URL, PUBLIC_URL
from tests.planning.proposal_builders import back_in_deciding, proposal_voted, status_changed

LINK = f"{PIONEER_URL}/#/proposals/preview/pr1"
UNSUBSCRIBE = f"{PUBLIC_URL}/unsubscribe/x"


def _render(kind: str, data: dict):
    return notification_email_render(kind=kind, data=data, member_name="Ada", unsubscribe_url=UNSUBSCRIBE)


def test_an_approval_says_approved_and_old_to_new_status():
    data = event_display_data(status_changed(status="ProposalStatusGracing"))

    email = _render("PROPOSAL_STATUS_CREATOR", data)

    assert email.subject == "Your proposal Proposal pr1 was approved — now in its grace period"
    for body in (email.text, email.html):
        assert "Deciding → Gracing" in body and LINK in body and UNSUBSCRIBE in body
        assert "View the proposal" in body and "Hi Ada," in body
    assert email.headers["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"
    assert notification_message("PROPOSAL_STATUS_ALL", data) == (
        "Proposal Proposal pr1 was approved — now in its grace period"
    )
    assert notification_link("PROPOSAL_STATUS_ALL", data) == LINK


@pytest.mark.parametrize(
    "status, outcome",
    [
        ("ProposalStatusRejected", "was rejected"),
        ("ProposalStatusSlashed", "was rejected and slashed"),
        ("ProposalStatusVetoed", "was vetoed"),
        ("ProposalStatusExpired", "expired without a decision"),
        ("ProposalStatusCancelled", "was canceled by its creator"),
        ("ProposalStatusCanceledByRuntime", "was canceled by the runtime"),
        ("ProposalStatusDormant", "was approved — now Dormant until the next council confirms it"),
    ],
)
def test_every_decision_in_the_chains_words(status, outcome):
    data = event_display_data(status_changed(status=status))
    assert (
        notification_message("PROPOSAL_ENTITY_STATUS", data)
        == f"Proposal pr1, a proposal you watch, {outcome}"
    )


def test_a_failed_execution_shows_the_error():
    event = status_changed(
        source_type="ProposalExecutedEvent",
        status="ProposalStatusExecutionFailed",
        previous_status="ProposalStatusGracing",
        error_message="Insufficient <funds>",
    )

    email = _render("PROPOSAL_STATUS_CREATOR", event_display_data(event))

    assert email.subject == "Your proposal Proposal pr1 failed to execute"
    assert "Gracing → Execution failed" in email.text and "Execution error Insufficient <funds>" in email.text
    assert "Insufficient &lt;funds&gt;" in email.html and "<funds>" not in email.html


def test_a_vote_says_who_voted_what_in_which_round_with_the_rationale_quoted():
    event = proposal_voted(voter_id=8, vote_kind="REJECT", voting_round=2, rationale="Too expensive")

    email = _render("PROPOSAL_VOTE_CREATOR", event_display_data(event))

    assert email.subject == "handle8 voted Reject on your proposal Proposal pr1"
    assert "handle8 wrote:\n> Too expensive" in email.text
    assert "Vote Reject" in email.text and "Voting round 2" in email.text and LINK in email.text
    assert "Too expensive" in email.html and LINK in email.html and "See the votes" in email.html


def test_member_text_in_a_vote_is_escaped_in_html():
    data = {
        "author": {"id": 8, "handle": "<mallory>"},
        "proposal": {"id": "pr1", "title": "A & B"},
        "vote": {"name": "Approve", "round": 1, "excerpt": "<script>x</script>"},
    }

    email = _render("PROPOSAL_ENTITY_VOTE", data)

    assert "<script>" not in email.html and "&lt;script&gt;x&lt;/script&gt;" in email.html
    assert "&lt;mallory&gt;" in email.html and "A &amp; B" in email.html
    assert email.subject == "<mallory> voted Approve on A & B, a proposal you watch"


def test_the_council_call_asks_for_a_vote():
    data = event_display_data(back_in_deciding(council=frozenset({7})))

    email = _render("PROPOSAL_DECIDING_COUNCIL", data)

    assert email.subject == "A proposal needs your vote: Proposal pr1"
    assert "As a member of the council you decide on Proposal pr1, which is now Deciding." in email.text
    assert "Dormant → Deciding" in email.text and "Cast your vote" in email.html and LINK in email.html
    assert notification_link("PROPOSAL_DECIDING_COUNCIL", data) == LINK


def test_an_old_row_without_status_still_reads_well():
    assert notification_message("PROPOSAL_STATUS_CREATOR", {}) == "Your proposal a proposal has a new status"
