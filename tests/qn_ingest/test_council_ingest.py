"""Council and election kinds end to end through the fake query node over HTTP
(docs/kinds/council.md): a new council, failed rounds, the round's voters, candidacies."""

from __future__ import annotations

import pytest

from members.models import Member
from notifications.models import Notification
from qn_ingest.fake_node import council
from qn_ingest.services import ingest_run
from tests.factories import MemberFactory, SubscriptionFactory


def _kinds(**filters) -> dict[int, str]:
    rows = Notification.objects.filter(**filters).values_list("member_id", "kind")
    result = dict(rows)
    assert len(result) == len(rows), "a member got two notifications"
    return result


def _announcing_rows() -> list[tuple[int, str]]:
    return sorted(
        Notification.objects.filter(kind="ELECTION_ANNOUNCING_STARTED").values_list("member_id", "event_id")
    )


@pytest.fixture
def members(fake_query_node, db):
    """Members 1-4 registered and on the query node; member 5 on chain only."""
    data = fake_query_node.data
    for member_id, handle in ((1, "alice"), (2, "bob"), (3, "carol"), (4, "dave"), (5, "erin")):
        data.member(member_id, handle=handle)
        if member_id != 5:
            MemberFactory(id=member_id, name=handle)
    return data


# --- a new council ------------------------------------------------------------------------
def test_a_new_council_reaches_everyone_and_each_elected_member_personally(members):
    council.council_elected(members, members=[2, 3, 5])

    ingest_run()

    assert _kinds() == {
        1: "ELECTION_COUNCIL_ELECTED",
        2: "ELECTION_COUNCIL_ELECTED_ME",
        3: "ELECTION_COUNCIL_ELECTED_ME",
        4: "ELECTION_COUNCIL_ELECTED",
    }
    data = Notification.objects.get(member_id=1).data
    assert data["people"] == [
        {"id": 2, "handle": "bob"},
        {"id": 3, "handle": "carol"},
        {"id": 5, "handle": "erin"},
    ]


def test_an_elected_member_who_turned_the_personal_kind_off_gets_the_general_one(members):
    SubscriptionFactory(
        member=Member.objects.get(id=2),
        kind="ELECTION_COUNCIL_ELECTED_ME",
        should_notify=False,
        should_notify_by_email=False,
    )
    SubscriptionFactory(
        member=Member.objects.get(id=3),
        kind="ELECTION_COUNCIL_ELECTED",
        should_notify=False,
        should_notify_by_email=False,
    )
    council.council_elected(members, members=[2, 3])

    ingest_run()

    assert _kinds() == {
        1: "ELECTION_COUNCIL_ELECTED",
        2: "ELECTION_COUNCIL_ELECTED",
        3: "ELECTION_COUNCIL_ELECTED_ME",
        4: "ELECTION_COUNCIL_ELECTED",
    }


# --- failed rounds: one announcing notification per round -----------------------------------
@pytest.mark.parametrize("failure", council.ROUND_FAILURES)
def test_a_failed_round_starts_a_new_announcing_period(members, failure):
    event = council.round_failed(members, failure)

    ingest_run()

    assert _kinds() == {member_id: "ELECTION_ANNOUNCING_STARTED" for member_id in (1, 2, 3, 4)}
    notification = Notification.objects.get(member_id=1)
    assert notification.event_id == notification.entity_id == event.id
    assert notification.data["note"]["text"].startswith("The previous election round failed")


@pytest.mark.parametrize("page_size", [50, 1])
def test_failure_and_announcing_start_in_one_block_notify_once(members, page_size):
    # Both events of one restart, in one page (50) or split over two pages (1).
    failure = council.round_failed(members, "NotEnoughCandidatesEvent", block=10)
    members.election_stage("ANNOUNCING", block=10)

    summary = ingest_run(page_size=page_size)

    assert summary.events == 2
    assert _announcing_rows() == [(member_id, failure.id) for member_id in (1, 2, 3, 4)]
    # Whichever event is read first, the notification says the previous round failed.
    assert all("note" in n.data for n in Notification.objects.all())


def test_the_second_event_of_a_restart_adds_nothing_in_a_later_run(members):
    announcing = members.election_stage("ANNOUNCING", block=10)
    ingest_run()
    assert _announcing_rows() == [(member_id, announcing.id) for member_id in (1, 2, 3, 4)]

    # The query node indexes a failure event for the same block after the first run.
    council.round_failed(members, "NewCouncilNotElectedEvent", block=10)
    ingest_run()

    assert _announcing_rows() == [(member_id, announcing.id) for member_id in (1, 2, 3, 4)]


def test_a_failed_round_then_a_successful_one_give_one_announcing_notification_each(members):
    council.round_failed(members, "NotEnoughCandidatesEvent", block=10)  # round 2 starts
    members.election_stage("ANNOUNCING", block=10)
    members.election_stage("VOTING", block=20)
    members.election_stage("REVEALING", block=30)
    council.council_elected(members, members=[1, 2], block=40)  # round 2 succeeded
    members.election_stage("ANNOUNCING", block=50)  # round 3 starts after the idle period

    ingest_run(page_size=2)

    per_member = {}
    for member_id, event_id in _announcing_rows():
        per_member.setdefault(member_id, []).append(event_id)
    assert per_member == {member_id: ["10-0", "50-0"] for member_id in (1, 2, 3, 4)}


# --- voters of the round being revealed -----------------------------------------------------
def test_voters_matched_through_each_account_kind_get_the_voter_kind(members):
    members.members["2"].boundAccounts = ["staking-of-bob"]
    members.election_stage("VOTING", block=10)
    council.vote(members, account="root-of-1", block=11)  # alice, by root account
    council.vote(members, account="staking-of-bob", block=12)  # bob, by a bound account
    council.vote(members, account="controller-of-3", block=12)  # carol, by controller account
    council.vote(members, account="nobody's account", block=13)
    members.election_stage("REVEALING", block=20)

    ingest_run()

    assert _kinds(in_block=20) == {
        1: "ELECTION_REVEALING_VOTER",
        2: "ELECTION_REVEALING_VOTER",
        3: "ELECTION_REVEALING_VOTER",
        4: "ELECTION_REVEALING_STARTED",
    }


def test_only_votes_of_the_current_round_count(members):
    members.election_stage("VOTING", block=10)
    council.vote(members, account="root-of-1", block=11)  # alice voted in the previous round
    members.election_stage("REVEALING", block=20)
    members.election_stage("VOTING", block=30)
    council.vote(members, account="root-of-2", block=31)  # bob votes in this one
    members.election_stage("REVEALING", block=40)
    council.vote(members, account="root-of-3", block=50)  # a later round's vote

    ingest_run()

    second_reveal = Notification.objects.filter(in_block=40)
    assert dict(second_reveal.values_list("member_id", "kind")) == {
        1: "ELECTION_REVEALING_STARTED",
        2: "ELECTION_REVEALING_VOTER",
        3: "ELECTION_REVEALING_STARTED",
        4: "ELECTION_REVEALING_STARTED",
    }
    first_reveal = Notification.objects.filter(in_block=20, kind="ELECTION_REVEALING_VOTER")
    assert list(first_reveal.values_list("member_id", flat=True)) == [1]


def test_a_voter_who_turned_the_voter_kind_off_keeps_the_general_kind(members):
    SubscriptionFactory(
        member=Member.objects.get(id=1),
        kind="ELECTION_REVEALING_VOTER",
        should_notify=False,
        should_notify_by_email=False,
    )
    members.election_stage("VOTING", block=10)
    council.vote(members, account="root-of-1", block=11)
    members.election_stage("REVEALING", block=20)

    ingest_run()

    assert _kinds(member_id=1, in_block=20) == {1: "ELECTION_REVEALING_STARTED"}


def test_voters_are_read_once_per_page_not_per_event(members, fake_query_node):
    members.election_stage("VOTING", block=10)
    for voter in range(1, 5):
        council.vote(members, account=f"root-of-{voter}", block=10 + voter)
    members.election_stage("REVEALING", block=20)
    members.election_stage("VOTING", block=30)
    council.vote(members, account="root-of-1", block=31)
    members.election_stage("REVEALING", block=40)

    ingest_run()

    operations = fake_query_node.operations()
    assert operations.count("VotingStartsBefore") == 1
    assert operations.count("RoundVotes") == 1
    assert operations.count("MembershipsByAccounts") == 1
    assert Notification.objects.filter(kind="ELECTION_REVEALING_VOTER").count() == 5


# --- candidacies (opt-in) -------------------------------------------------------------------
def test_candidacies_reach_only_members_who_opted_in_and_never_the_candidate(members):
    SubscriptionFactory(member=Member.objects.get(id=1), kind="ELECTION_CANDIDATE_ALL")
    SubscriptionFactory(member=Member.objects.get(id=2), kind="ELECTION_CANDIDATE_ALL")
    announced = council.candidacy(members, member=2)
    withdrawn = council.candidacy(members, member=3, withdraw=True)

    ingest_run()

    rows = sorted(Notification.objects.values_list("member_id", "event_id", "kind"))
    assert rows == [
        (1, announced.id, "ELECTION_CANDIDATE_ALL"),
        (1, withdrawn.id, "ELECTION_CANDIDATE_ALL"),
        (2, withdrawn.id, "ELECTION_CANDIDATE_ALL"),
    ]
    changes = {n.event_id: n.data["candidacy"]["change"] for n in Notification.objects.filter(member_id=1)}
    assert changes == {announced.id: "announced their candidacy", withdrawn.id: "withdrew their candidacy"}
