"""Votes cast from watched accounts, end to end through the fake query node over HTTP
(issue 24; docs/kinds/council.md, "Accounts I care about"). The casting accounts are real
SS58 addresses, bound to no membership unless a test says so."""

from __future__ import annotations

import pytest

from members.models import Member
from members.watched_accounts import watched_account_add, watched_account_remove
from notifications.emails import notification_email_render
from notifications.models import Notification
from notifications.presentation import notification_message
from qn_ingest.council_voters import VoteAccount, unrevealed_vote_accounts
from qn_ingest.fake_node import council
from qn_ingest.fetch import QueryNodeReader
from qn_ingest.services import ingest_run
from tests.accounts.keys import ALICE_ROOT, BOB_ROOT, COLD, FAMILY, LEDGER, generic_address
from tests.factories import MemberFactory


@pytest.fixture
def chain(fake_query_node, db):
    """alice (1) and bob (2) registered, their memberships' root accounts real keys; carol (3)
    registered too."""
    data = fake_query_node.data
    for member_id, handle, root in ((1, "alice", ALICE_ROOT), (2, "bob", BOB_ROOT), (3, "carol", None)):
        membership = data.member(member_id, handle=handle)
        if root is not None:
            membership.rootAccount = root.ss58_address
        MemberFactory(id=member_id, name=handle)
    return data


@pytest.fixture
def alice(chain):
    return Member.objects.get(id=1)


@pytest.fixture
def bob(chain):
    return Member.objects.get(id=2)


def _round(data, *voters, reveal_block: int = 20) -> list:
    """A voting period from block 10 with one vote per account, then the revealing stage."""
    data.election_stage("VOTING", block=10)
    votes = [council.vote(data, account=key.ss58_address, block=11 + i) for i, key in enumerate(voters)]
    data.election_stage("REVEALING", block=reveal_block)
    return votes


def _reveal_kinds() -> dict[int, str]:
    rows = Notification.objects.filter(in_block=20).values_list("member_id", "kind")
    kinds = dict(rows)
    assert len(kinds) == len(rows), "a member got two notifications of one revealing stage"
    return kinds


def _accounts(member_id: int) -> list[dict]:
    return Notification.objects.get(member_id=member_id, in_block=20).data.get("accounts")


def test_a_vote_from_a_watched_account_gets_the_reveal_notification_naming_it(chain, alice):
    # given alice watches her hardware wallet, added in the generic format
    watched_account_add(member=alice, address=generic_address(LEDGER), label="Ledger")
    _round(chain, LEDGER)

    ingest_run()

    # then alice is told to reveal, from "Ledger"; bob and carol, who do not watch it, are not
    assert _reveal_kinds() == {
        1: "ELECTION_REVEALING_VOTER",
        2: "ELECTION_REVEALING_STARTED",
        3: "ELECTION_REVEALING_STARTED",
    }
    assert _accounts(1) == [{"address": LEDGER.ss58_address, "label": "Ledger"}]
    notification = Notification.objects.get(member_id=1, in_block=20)
    assert notification_message(notification.kind, notification.data) == (
        "Reveal your vote from Ledger now: the revealing period has started"
    )
    assert _accounts(2) is None


def test_without_the_watch_the_vote_is_nobodys(chain):
    _round(chain, LEDGER)
    ingest_run()
    assert set(_reveal_kinds().values()) == {"ELECTION_REVEALING_STARTED"}


def test_two_accounts_of_one_member_give_one_notification_listing_both(chain, alice):
    watched_account_add(member=alice, address=LEDGER.ss58_address, label="Ledger")
    watched_account_add(member=alice, address=COLD.ss58_address)
    _round(chain, LEDGER, COLD, ALICE_ROOT)

    ingest_run()

    assert _reveal_kinds()[1] == "ELECTION_REVEALING_VOTER"
    listed = {account["address"]: account["label"] for account in _accounts(1)}
    assert listed == {LEDGER.ss58_address: "Ledger", COLD.ss58_address: "", ALICE_ROOT.ss58_address: ""}
    notification = Notification.objects.get(member_id=1, in_block=20)
    email = notification_email_render(
        kind=notification.kind, data=notification.data, member_name="alice", unsubscribe_url="http://u"
    )
    # the email names each key in full (the label first when there is one), so it can be unlocked
    assert f"- Ledger: {LEDGER.ss58_address}" in email.text
    assert f"- {COLD.ss58_address}" in email.text
    assert f"- {ALICE_ROOT.ss58_address}" in email.text
    assert LEDGER.ss58_address in email.html and "Ledger" in email.html


def test_an_account_watched_by_two_members_reaches_both_with_their_own_labels(chain, alice, bob):
    watched_account_add(member=alice, address=FAMILY.ss58_address, label="Mum's")
    watched_account_add(member=bob, address=FAMILY.ss58_address, label="Mine")
    _round(chain, FAMILY)

    ingest_run()

    assert _reveal_kinds() == {
        1: "ELECTION_REVEALING_VOTER",
        2: "ELECTION_REVEALING_VOTER",
        3: "ELECTION_REVEALING_STARTED",
    }
    assert _accounts(1) == [{"address": FAMILY.ss58_address, "label": "Mum's"}]
    assert _accounts(2) == [{"address": FAMILY.ss58_address, "label": "Mine"}]


def test_watching_an_own_membership_account_changes_nothing_but_its_label(chain, alice):
    watched_account_add(member=alice, address=ALICE_ROOT.ss58_address, label="Root")
    _round(chain, ALICE_ROOT)

    ingest_run()

    assert _reveal_kinds()[1] == "ELECTION_REVEALING_VOTER"
    assert _accounts(1) == [{"address": ALICE_ROOT.ss58_address, "label": "Root"}]


def test_removing_the_account_stops_the_notification(chain, alice):
    watched_account_add(member=alice, address=LEDGER.ss58_address, label="Ledger")
    watched_account_remove(member=alice, address=generic_address(LEDGER))
    _round(chain, LEDGER)

    ingest_run()

    assert _reveal_kinds()[1] == "ELECTION_REVEALING_STARTED"


def test_watched_accounts_cost_no_query_node_request_per_vote(chain, alice, fake_query_node):
    watched_account_add(member=alice, address=LEDGER.ss58_address)
    _round(chain, LEDGER, COLD, FAMILY, ALICE_ROOT, BOB_ROOT)

    ingest_run()

    operations = fake_query_node.operations()
    assert operations.count("RoundVotes") == 1
    assert operations.count("MembershipsByAccounts") == 1
    assert _reveal_kinds()[1] == "ELECTION_REVEALING_VOTER"


# --- what the revealing-stage reminder asks: the accounts with a vote still to reveal --------
def test_a_revealed_vote_takes_its_account_out_and_all_revealed_leaves_nobody(chain, alice, bob):
    watched_account_add(member=alice, address=LEDGER.ss58_address, label="Ledger")
    watched_account_add(member=alice, address=COLD.ss58_address, label="Cold")
    ledger_vote, cold_vote, bob_vote = _round(chain, LEDGER, COLD, BOB_ROOT)
    reader = QueryNodeReader()

    assert unrevealed_vote_accounts(reader, 20) == {
        1: tuple(
            sorted([VoteAccount(LEDGER.ss58_address, "Ledger"), VoteAccount(COLD.ss58_address, "Cold")])
        ),
        2: (VoteAccount(BOB_ROOT.ss58_address, ""),),
    }

    # when the Ledger vote is revealed (a VoteRevealedEvent), only Cold is left for alice
    council.reveal(chain, vote=ledger_vote, block=21)
    assert unrevealed_vote_accounts(reader, 20)[1] == (VoteAccount(COLD.ss58_address, "Cold"),)

    # when every vote of alice is revealed, she has nothing left: no reminder for her
    council.reveal(chain, vote=cold_vote, block=22)
    assert unrevealed_vote_accounts(reader, 20) == {2: (VoteAccount(BOB_ROOT.ss58_address, ""),)}
    council.reveal(chain, vote=bob_vote, block=23)
    assert unrevealed_vote_accounts(reader, 20) == {}


def test_a_revealing_stage_with_no_voting_start_has_no_unrevealed_votes(chain, alice):
    watched_account_add(member=alice, address=LEDGER.ss58_address)
    council.vote(chain, account=LEDGER.ss58_address, block=11)
    chain.election_stage("REVEALING", block=20)
    assert unrevealed_vote_accounts(QueryNodeReader(), 20) == {}
