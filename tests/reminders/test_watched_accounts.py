"""Reminders for votes cast from watched accounts (issue 24 with the deadline reminders of
issue 21): through the fake query node over HTTP and the fake chain serving the real metadata.
The casting accounts are real SS58 addresses bound to no membership."""

from __future__ import annotations

from members.models import Member
from members.watched_accounts import watched_account_add, watched_account_remove
from notifications.presentation import notification_message
from qn_ingest.fake_node import council
from qn_ingest.services import ingest_run
from tests.accounts.keys import COLD, FAMILY, LEDGER
from tests.reminders.conftest import LEAD, REVEALING, VOTING, reminder_of, reminders

START = 1000
REVEAL_AT = START + VOTING
REVEAL_END = REVEAL_AT + REVEALING


def _votes(dao, *keys) -> list:
    dao.election_stage("VOTING", block=START)
    return [council.vote(dao, account=key.ss58_address, block=START + 5 + i) for i, key in enumerate(keys)]


def _run_at(chain, head: int) -> None:
    chain.head = head
    ingest_run()


def _alice() -> Member:
    return Member.objects.get(id=1)


def test_a_watched_account_that_voted_is_reminded_to_reveal_by_its_label(chain, dao):
    watched_account_add(member=_alice(), address=LEDGER.ss58_address, label="Ledger")
    _votes(dao, LEDGER)
    dao.election_stage("REVEALING", block=REVEAL_AT)

    _run_at(chain, REVEAL_END - LEAD)

    # alice watches the casting account; nobody else voted, so nobody else is reminded
    assert reminders() == {1: "ELECTION_REVEALING_LAST_DAY_VOTER"}
    reminder = reminder_of(1)
    assert [account["label"] for account in reminder.data["accounts"]] == ["Ledger"]
    assert "Ledger" in notification_message(reminder.kind, reminder.data)


def test_two_accounts_one_reminder_listing_both_then_only_the_unrevealed_one(chain, dao):
    alice = _alice()
    watched_account_add(member=alice, address=LEDGER.ss58_address, label="Ledger")
    watched_account_add(member=alice, address=COLD.ss58_address, label="Cold storage")
    ledger_vote, _cold_vote = _votes(dao, LEDGER, COLD)
    dao.election_stage("REVEALING", block=REVEAL_AT)
    council.reveal(dao, vote=ledger_vote)

    _run_at(chain, REVEAL_END - LEAD)

    # one reminder, naming only the account whose vote is still to reveal
    assert reminders() == {1: "ELECTION_REVEALING_LAST_DAY_VOTER"}
    assert [account["label"] for account in reminder_of(1).data["accounts"]] == ["Cold storage"]


def test_every_vote_revealed_means_no_reminder(chain, dao):
    alice = _alice()
    watched_account_add(member=alice, address=LEDGER.ss58_address, label="Ledger")
    watched_account_add(member=alice, address=COLD.ss58_address, label="Cold storage")
    votes = _votes(dao, LEDGER, COLD)
    dao.election_stage("REVEALING", block=REVEAL_AT)
    for vote in votes:
        council.reveal(dao, vote=vote)

    _run_at(chain, REVEAL_END - LEAD)

    assert reminders() == {}


def test_an_account_watched_by_two_members_reminds_both(chain, dao):
    alice, bob = _alice(), Member.objects.get(id=2)
    watched_account_add(member=alice, address=FAMILY.ss58_address, label="Family")
    watched_account_add(member=bob, address=FAMILY.ss58_address, label="Grandma")
    _votes(dao, FAMILY)
    dao.election_stage("REVEALING", block=REVEAL_AT)

    _run_at(chain, REVEAL_END - LEAD)

    assert reminders() == dict.fromkeys((1, 2), "ELECTION_REVEALING_LAST_DAY_VOTER")
    # each is told by their own label
    assert reminder_of(2).data["accounts"][0]["label"] == "Grandma"


def test_an_account_no_longer_watched_reminds_nobody(chain, dao):
    alice, bob = _alice(), Member.objects.get(id=2)
    watched_account_add(member=alice, address=FAMILY.ss58_address, label="Family")
    watched_account_add(member=bob, address=FAMILY.ss58_address, label="Grandma")
    watched_account_remove(member=bob, address=FAMILY.ss58_address)
    _votes(dao, FAMILY)
    dao.election_stage("REVEALING", block=REVEAL_AT)

    _run_at(chain, REVEAL_END - LEAD)

    assert reminders() == {1: "ELECTION_REVEALING_LAST_DAY_VOTER"}


def test_a_vote_from_a_watched_account_counts_as_the_members_vote(chain, dao):
    # the voting-stage reminder goes to members who have not voted: alice voted from her ledger
    watched_account_add(member=_alice(), address=LEDGER.ss58_address, label="Ledger")
    _votes(dao, LEDGER)

    _run_at(chain, START + VOTING - LEAD)

    assert reminders() == dict.fromkeys((2, 3, 4), "ELECTION_VOTING_LAST_DAY")
