"""Proposals end to end through the fake query node over HTTP (issue 11): a proposal's life
with four members, one action as two events (in one page and split over two), and the
council in office at each event's block."""

from __future__ import annotations

import pytest

from notifications.models import EmailStatus, Notification
from qn_ingest.fake_node.proposals import create_proposal, decide, elect_council, execute, set_status, vote
from qn_ingest.fake_node.scenarios import SCENARIOS
from qn_ingest.services import ingest_run
from tests.factories import MemberFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


def _received() -> dict[int, list[tuple[str, str]]]:
    """member → [(event id, kind)] in event order."""
    result: dict[int, list[tuple[str, str]]] = {}
    for member_id, event_id, kind in Notification.objects.order_by("in_block", "event_id").values_list(
        "member_id", "event_id", "kind"
    ):
        result.setdefault(member_id, []).append((event_id, kind))
    return result


@pytest.fixture
def four(fake_query_node):
    """Alice (1) proposes; Bob (2) and Carol (3) sit on the council; Carol watches the proposal
    (id "p1"); Dave (4) follows every proposal, status change and vote."""
    data = fake_query_node.data
    members = [data.member(i, handle=name) for i, name in enumerate(["alice", "bob", "carol", "dave"], 1)]
    for member in members:
        MemberFactory(id=int(member.id), name=member.handle)
    elect_council(data, members=members[1:3])
    SubscriptionFactory(member_id=3, kind="PROPOSAL_ENTITY_STATUS", entity_id="p1")
    SubscriptionFactory(member_id=3, kind="PROPOSAL_ENTITY_VOTE", entity_id="p1")
    for kind in ("PROPOSAL_CREATED_ALL", "PROPOSAL_STATUS_ALL", "PROPOSAL_VOTE_ALL"):
        SubscriptionFactory(member_id=4, kind=kind)
    return data, members


def test_a_proposal_created_voted_approved_and_executed(four):
    data, (alice, bob, carol, _dave) = four
    proposal = create_proposal(data, creator=alice, title="Fund the forum", id="p1")
    created = data.events[-1].id
    bob_votes = vote(data, proposal=proposal, voter=bob, rationale="Worth it <b>really</b>").id
    carol_votes = vote(data, proposal=proposal, voter=carol, kind="ABSTAIN").id
    decision, status_update = decide(data, proposal=proposal, decision="Gracing")  # one block
    executed = execute(data, proposal=proposal).id

    summary = ingest_run()

    assert summary.events == 6
    assert _received() == {
        1: [
            (bob_votes, "PROPOSAL_VOTE_CREATOR"),
            (carol_votes, "PROPOSAL_VOTE_CREATOR"),
            (decision.id, "PROPOSAL_STATUS_CREATOR"),
            (executed, "PROPOSAL_STATUS_CREATOR"),
        ],
        2: [(created, "PROPOSAL_DECIDING_COUNCIL")],
        3: [
            (created, "PROPOSAL_DECIDING_COUNCIL"),
            (bob_votes, "PROPOSAL_ENTITY_VOTE"),
            (decision.id, "PROPOSAL_ENTITY_STATUS"),
            (executed, "PROPOSAL_ENTITY_STATUS"),
        ],
        4: [
            (created, "PROPOSAL_CREATED_ALL"),
            (bob_votes, "PROPOSAL_VOTE_ALL"),
            (carol_votes, "PROPOSAL_VOTE_ALL"),
            (decision.id, "PROPOSAL_STATUS_ALL"),
            (executed, "PROPOSAL_STATUS_ALL"),
        ],
    }
    assert not Notification.objects.filter(event_id=status_update.id).exists()
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.PENDING}
    assert set(Notification.objects.values_list("entity_id", flat=True)) == {"p1"}
    approval = Notification.objects.get(member_id=1, event_id=decision.id).data
    assert approval["status"] == {
        "name": "Approved",
        "change": "Deciding → Gracing",
        "outcome": "was approved — now in its grace period",
    }
    execution = Notification.objects.get(member_id=1, event_id=executed).data
    assert execution["status"]["change"] == "Gracing → Executed"
    bobs = Notification.objects.get(member_id=1, event_id=bob_votes).data
    # the rationale is kept as plain text, like a post excerpt
    assert bobs["vote"] == {"name": "Approve", "round": 1, "excerpt": "Worth it really"}
    assert bobs["author"] == {"id": 2, "handle": "bob"}


@pytest.mark.parametrize("decision", ["Gracing", "Dormant", "Cancelled"])
@pytest.mark.parametrize("page_size", [1, 50], ids=["split over two pages", "one page"])
def test_one_decision_is_one_notification_per_member(four, decision, page_size):
    data, (alice, *_rest) = four
    proposal = create_proposal(data, creator=alice, id="p1")
    first, second = decide(data, proposal=proposal, decision=decision)
    assert first.inBlock == second.inBlock and first.indexInBlock < second.indexInBlock

    ingest_run(page_size=page_size)

    decision_notifications = Notification.objects.exclude(event_id=data.events[0].id)
    assert set(decision_notifications.values_list("event_id", flat=True)) == {first.id}
    expected = {3: "PROPOSAL_ENTITY_STATUS", 4: "PROPOSAL_STATUS_ALL"}
    if decision != "Cancelled":  # Alice cancelled it herself: she is not told
        expected[1] = "PROPOSAL_STATUS_CREATOR"
    assert dict(decision_notifications.values_list("member_id", "kind")) == expected


def test_a_failed_execution_says_why(four):
    data, (alice, *_rest) = four
    proposal = create_proposal(data, creator=alice, id="p1")
    decide(data, proposal=proposal, decision="Gracing")
    failed = execute(data, proposal=proposal, error="Insufficient funds").id

    ingest_run()

    status = Notification.objects.get(member_id=1, event_id=failed).data["status"]
    assert status == {
        "name": "Execution failed",
        "change": "Gracing → Execution failed",
        "outcome": "failed to execute",
        "error": "Insufficient funds",
    }


def test_the_council_in_office_at_each_block_is_called_and_read_once_per_page(four, fake_query_node):
    data, (alice, bob, carol, dave) = four
    old_proposal = create_proposal(data, creator=alice, id="p1")  # Bob and Carol's council
    decide(data, proposal=old_proposal, decision="Dormant")
    elect_council(data, members=[dave])
    back = set_status(data, proposal=old_proposal, status="Deciding", block=data.head)  # same block
    create_proposal(data, creator=bob, id="p2")

    ingest_run(page_size=50)

    called = Notification.objects.filter(kind="PROPOSAL_DECIDING_COUNCIL")
    assert sorted(called.values_list("entity_id", "event_id", "member_id")) == sorted(
        [
            ("p1", data.events[0].id, 2),
            ("p1", data.events[0].id, 3),
            ("p1", back.id, 4),
            ("p2", data.events[-1].id, 4),
        ]
    )
    back_data = called.get(event_id=back.id).data
    assert back_data["status"]["change"] == "Dormant → Deciding"
    assert fake_query_node.operations().count("CouncilsInOffice") == 1


def test_pages_without_a_call_to_the_council_do_not_read_it(four, fake_query_node):
    data, (alice, bob, *_rest) = four
    proposal = create_proposal(data, creator=alice, id="p1")
    vote(data, proposal=proposal, voter=bob)
    vote(data, proposal=proposal, voter=bob, kind="REJECT")

    ingest_run(page_size=1)

    assert fake_query_node.operations().count("CouncilsInOffice") == 1  # the creation's page only


def test_the_proposals_scenario_is_ingested_with_every_proposal_event_type(fake_query_node):
    SCENARIOS["proposals"](fake_query_node)
    for member_id in (1, 2, 3, 4):
        MemberFactory(id=member_id)

    summary = ingest_run()

    types = {event.typename for event in fake_query_node.data.events}
    assert types == {
        "ProposalCreatedEvent",
        "ProposalVotedEvent",
        "ProposalDecisionMadeEvent",
        "ProposalStatusUpdatedEvent",
        "ProposalExecutedEvent",
        "ProposalCancelledEvent",
    }
    assert summary.events == len(fake_query_node.data.events) and summary.skipped_events == 0
    # carol (3) created them all: she hears of every vote and status change but her cancellation
    carols = Notification.objects.filter(member_id=3)
    assert carols.filter(kind="PROPOSAL_VOTE_CREATOR").count() == 4
    outcomes = [
        n.data["status"]["outcome"]
        for n in carols.filter(kind="PROPOSAL_STATUS_CREATOR").order_by("in_block")
    ]
    assert outcomes == [
        "was approved — now in its grace period",
        "was executed",
        "was approved — now Dormant until the next council confirms it",
        "is now Deciding: the council votes on it",
        "was rejected",
        "was approved — now in its grace period",
        "failed to execute",
    ]
