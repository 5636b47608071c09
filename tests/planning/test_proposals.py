"""Proposal kinds (issue 11): who gets each, who does not (the actor, a muted member, a member
who opted out), and priority when several apply."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from qn_ingest.proposal_events import CANCELLED, DECISION_MADE, EXECUTED, STATUS_UPDATED
from tests.factories import MemberFactory, SubscriptionFactory
from tests.planning.builders import kinds_by_member, plan
from tests.planning.proposal_builders import (
    back_in_deciding,
    proposal_created,
    proposal_voted,
    status_changed,
)

pytestmark = pytest.mark.django_db


def _members(*ids: int) -> None:
    for member_id in ids:
        MemberFactory(id=member_id)


def _store(drafts) -> None:
    Notification.objects.bulk_create(
        Notification(
            member_id=d.member_id,
            kind=d.kind,
            event_id=d.event_id,
            entity_id=d.entity_id,
            in_block=d.in_block,
            email_status=d.email_status,
            data=d.data,
        )
        for d in drafts
    )


# --- created --------------------------------------------------------------------------


def test_created_reaches_the_council_and_members_who_opted_in_never_the_creator():
    _members(5, 6, 7, 8)
    SubscriptionFactory(member_id=6, kind="PROPOSAL_CREATED_ALL")
    SubscriptionFactory(member_id=5, kind="PROPOSAL_CREATED_ALL")  # the creator opted in too
    SubscriptionFactory(member_id=7, kind="PROPOSAL_CREATED_ALL")  # and a councillor

    event = proposal_created(creator_id=5, council=frozenset({5, 7, 8}))
    drafts = plan([event])

    # a councillor who also opted in gets the call to vote, once; member 8 never opted in to _ALL
    assert kinds_by_member(drafts) == {
        6: "PROPOSAL_CREATED_ALL",
        7: "PROPOSAL_DECIDING_COUNCIL",
        8: "PROPOSAL_DECIDING_COUNCIL",
    }
    assert {d.entity_id for d in drafts} == {"pr1"}
    assert drafts[0].data["proposal"] == {"id": "pr1", "title": "Proposal pr1"}


def test_a_councillor_who_opted_out_of_the_call_gets_only_what_else_they_chose():
    _members(7, 8)
    SubscriptionFactory(
        member_id=7, kind="PROPOSAL_DECIDING_COUNCIL", should_notify=False, should_notify_by_email=False
    )
    SubscriptionFactory(
        member_id=8, kind="PROPOSAL_DECIDING_COUNCIL", should_notify=False, should_notify_by_email=False
    )
    SubscriptionFactory(member_id=8, kind="PROPOSAL_CREATED_ALL")

    assert kinds_by_member(plan([proposal_created(council=frozenset({7, 8}))])) == {8: "PROPOSAL_CREATED_ALL"}


def test_created_all_is_off_by_default():
    _members(6)
    assert plan([proposal_created()]) == []


# --- status ----------------------------------------------------------------------------


@pytest.mark.parametrize("source_type", [STATUS_UPDATED, DECISION_MADE, EXECUTED])
def test_status_reaches_creator_watchers_and_opted_in_members(source_type):
    _members(5, 6, 7, 8)
    SubscriptionFactory(member_id=6, kind="PROPOSAL_ENTITY_STATUS", entity_id="pr1")
    SubscriptionFactory(member_id=7, kind="PROPOSAL_STATUS_ALL")
    SubscriptionFactory(member_id=8, kind="PROPOSAL_ENTITY_STATUS", entity_id="pr2")  # another proposal
    status = "ProposalStatusExecuted" if source_type == EXECUTED else "ProposalStatusGracing"

    drafts = plan([status_changed(source_type=source_type, status=status, creator_id=5)])

    assert kinds_by_member(drafts) == {
        5: "PROPOSAL_STATUS_CREATOR",
        6: "PROPOSAL_ENTITY_STATUS",
        7: "PROPOSAL_STATUS_ALL",
    }
    watcher = next(d for d in drafts if d.member_id == 6)
    assert watcher.data["watched"] == {"id": "pr1"}


def test_personal_before_entity_before_opt_in_and_a_creator_who_opted_out_gets_nothing():
    _members(5, 6)
    for member_id in (5, 6):
        SubscriptionFactory(member_id=member_id, kind="PROPOSAL_ENTITY_STATUS", entity_id="pr1")
        SubscriptionFactory(member_id=member_id, kind="PROPOSAL_STATUS_ALL")
    assert kinds_by_member(plan([status_changed(creator_id=5)])) == {
        5: "PROPOSAL_STATUS_CREATOR",
        6: "PROPOSAL_ENTITY_STATUS",
    }

    SubscriptionFactory(
        member_id=5, kind="PROPOSAL_STATUS_CREATOR", should_notify=False, should_notify_by_email=False
    )
    assert kinds_by_member(plan([status_changed(creator_id=5)]))[5] == "PROPOSAL_ENTITY_STATUS"


def test_muting_the_proposal_silences_its_status_for_the_creator_and_the_council_too():
    _members(5, 7)
    for member_id in (5, 7):
        SubscriptionFactory(
            member_id=member_id,
            kind="PROPOSAL_ENTITY_STATUS",
            entity_id="pr1",
            should_notify=False,
            should_notify_by_email=False,
        )
        SubscriptionFactory(member_id=member_id, kind="PROPOSAL_STATUS_ALL")

    assert plan([back_in_deciding(creator_id=5, council=frozenset({5, 7}))]) == []
    # muting the votes of the proposal is another matter
    assert kinds_by_member(plan([proposal_voted(creator_id=5, voter_id=7)])) == {5: "PROPOSAL_VOTE_CREATOR"}


def test_back_in_deciding_calls_the_council_and_a_creator_councillor_gets_one_notification():
    _members(5, 7, 9)
    event = back_in_deciding(creator_id=5, council=frozenset({5, 7}))

    drafts = plan([event])

    assert kinds_by_member(drafts) == {5: "PROPOSAL_DECIDING_COUNCIL", 7: "PROPOSAL_DECIDING_COUNCIL"}
    assert drafts[0].data["status"]["change"] == "Dormant → Deciding"


def test_a_decision_calls_no_councillor():
    _members(7)
    assert plan([status_changed(council=frozenset({7}), status="ProposalStatusRejected")]) == []


def test_the_creator_who_cancels_is_not_told_of_it_but_watchers_are():
    _members(5, 6)
    SubscriptionFactory(member_id=6, kind="PROPOSAL_ENTITY_STATUS", entity_id="pr1")
    event = status_changed(
        source_type=DECISION_MADE, status="ProposalStatusCancelled", creator_id=5, author_id=5
    )

    drafts = plan([event])

    assert kinds_by_member(drafts) == {6: "PROPOSAL_ENTITY_STATUS"}
    assert drafts[0].data["status"]["outcome"] == "was canceled by its creator"
    assert drafts[0].data["author"]["id"] == 5


# --- one action, one notification ----------------------------------------------------


def _decision_and_follower(follower_type: str, status: str):
    decision = status_changed(source_type=DECISION_MADE, status=status, creator_id=5)
    follower = status_changed(
        source_type=follower_type,
        status=status,
        creator_id=5,
        event_id=f"{decision.in_block}-1",
        in_block=decision.in_block,
        continues_event_id=decision.event_id,
    )
    return decision, follower


@pytest.fixture
def audience():
    """Member 5 created pr1; 6 watches it; 7 follows every status change."""
    _members(5, 6, 7)
    SubscriptionFactory(member_id=6, kind="PROPOSAL_ENTITY_STATUS", entity_id="pr1")
    SubscriptionFactory(member_id=7, kind="PROPOSAL_STATUS_ALL")


EXPECTED = {5: "PROPOSAL_STATUS_CREATOR", 6: "PROPOSAL_ENTITY_STATUS", 7: "PROPOSAL_STATUS_ALL"}


@pytest.mark.parametrize(
    "follower_type, status",
    [(STATUS_UPDATED, "ProposalStatusGracing"), (STATUS_UPDATED, "ProposalStatusDormant")],
)
def test_an_approval_is_one_notification_keyed_on_the_decision(audience, follower_type, status):
    decision, follower = _decision_and_follower(follower_type, status)

    drafts = plan([decision, follower])

    assert kinds_by_member(drafts) == EXPECTED
    assert {d.event_id for d in drafts} == {decision.event_id}
    assert drafts[0].data["status"]["name"] == "Approved"


def test_a_cancellation_is_one_notification_keyed_on_the_decision(audience):
    decision, follower = _decision_and_follower(CANCELLED, "ProposalStatusCancelled")

    drafts = plan([decision, follower])

    assert {d.event_id for d in drafts} == {decision.event_id}
    assert kinds_by_member(drafts) == EXPECTED


def test_split_over_two_pages_the_later_event_adds_nothing_for_members_already_reached(audience):
    decision, follower = _decision_and_follower(STATUS_UPDATED, "ProposalStatusGracing")
    _store(plan([decision]))  # the first page, stored with its cursor

    assert plan([follower]) == []


def test_the_later_event_still_reaches_members_the_first_did_not(audience):
    # e.g. the decision's data was unusable and skipped: the status update tells its members
    decision, follower = _decision_and_follower(STATUS_UPDATED, "ProposalStatusGracing")
    _store([d for d in plan([decision]) if d.member_id == 5])

    drafts = plan([follower])

    assert kinds_by_member(drafts) == {6: "PROPOSAL_ENTITY_STATUS", 7: "PROPOSAL_STATUS_ALL"}
    assert drafts[0].data["status"]["outcome"] == "was approved — now in its grace period"


def test_an_execution_in_the_same_block_is_its_own_notification(audience):
    decision, follower = _decision_and_follower(STATUS_UPDATED, "ProposalStatusGracing")
    executed = status_changed(
        source_type=EXECUTED,
        status="ProposalStatusExecuted",
        previous_status="ProposalStatusGracing",
        creator_id=5,
        event_id=f"{decision.in_block}-2",
        in_block=decision.in_block,
    )

    drafts = plan([decision, follower, executed])

    assert sorted((d.event_id, d.member_id) for d in drafts) == sorted(
        (event.event_id, member) for event in (decision, executed) for member in (5, 6, 7)
    )


# --- votes -----------------------------------------------------------------------------


def test_a_vote_reaches_creator_watchers_and_opted_in_members_never_the_voter():
    _members(5, 6, 7, 8)
    for member_id in (6, 8):
        SubscriptionFactory(member_id=member_id, kind="PROPOSAL_ENTITY_VOTE", entity_id="pr1")
    SubscriptionFactory(member_id=7, kind="PROPOSAL_VOTE_ALL")
    SubscriptionFactory(member_id=8, kind="PROPOSAL_VOTE_ALL")

    drafts = plan([proposal_voted(creator_id=5, voter_id=8, vote_kind="SLASH", voting_round=2)])

    assert kinds_by_member(drafts) == {
        5: "PROPOSAL_VOTE_CREATOR",
        6: "PROPOSAL_ENTITY_VOTE",
        7: "PROPOSAL_VOTE_ALL",
    }
    assert drafts[0].data["vote"] == {"name": "Slash", "round": 2, "excerpt": "Looks good"}
    assert drafts[0].data["author"] == {"id": 8, "handle": "handle8"}


def test_a_muted_proposal_silences_its_votes_even_for_the_creator():
    _members(5, 6)
    SubscriptionFactory(
        member_id=5,
        kind="PROPOSAL_ENTITY_VOTE",
        entity_id="pr1",
        should_notify=False,
        should_notify_by_email=False,
    )
    SubscriptionFactory(
        member_id=6, kind="PROPOSAL_VOTE_CREATOR", should_notify=False, should_notify_by_email=False
    )

    assert plan([proposal_voted(creator_id=5)]) == []
    assert plan([proposal_voted(creator_id=6)]) == []  # opted out


def test_the_creator_voting_on_their_own_proposal_is_not_told():
    _members(5)
    assert plan([proposal_voted(creator_id=5, voter_id=5)]) == []


def test_the_rationale_is_shortened_like_post_text():
    _members(5)
    [draft] = plan([proposal_voted(creator_id=5, rationale="**why** " + "x" * 400)])
    excerpt = draft.data["vote"]["excerpt"]
    assert excerpt.startswith("why x") and len(excerpt) <= 300 and excerpt.endswith("…")
