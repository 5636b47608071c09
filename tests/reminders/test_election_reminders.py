"""ELECTION_*_LAST_DAY: the last day to announce candidacy, to vote and to reveal, from the
election stage the fake query node knows and the head of the fake chain."""

from __future__ import annotations

import pytest

from qn_ingest.fake_node import council
from qn_ingest.services import ingest_run
from tests.reminders.conftest import (
    ANNOUNCING,
    LEAD,
    REVEALING,
    VOTING,
    reminder_of,
    reminder_rows,
    reminders,
)

START = 1000


def _run_at(chain, head: int):
    chain.head = head
    return ingest_run()


def test_every_member_but_the_candidates_is_reminded_to_announce(chain, dao):
    dao.election_stage("ANNOUNCING", block=START)
    council.candidacy(dao, member=2, block=START + 10)
    end = START + ANNOUNCING

    _run_at(chain, end - LEAD - 1)
    assert reminders() == {}
    _run_at(chain, end - LEAD)
    assert reminders() == dict.fromkeys((1, 3, 4), "ELECTION_ANNOUNCING_LAST_DAY")
    _run_at(chain, end - 1)
    assert len(reminder_rows()) == 3

    data = reminder_of(1).data
    assert reminder_of(1).event_id == f"reminder:election-announcing:{START}"
    assert data["deadline"]["block"] == end and data["election"]["stage"] == "ANNOUNCING"


def test_a_failed_round_opens_a_new_announcing_period_with_new_reminders(chain, dao):
    dao.election_stage("ANNOUNCING", block=START)
    _run_at(chain, START + ANNOUNCING - LEAD)
    restart = START + ANNOUNCING
    council.round_failed(dao, "NotEnoughCandidatesEvent", block=restart)

    _run_at(chain, restart + ANNOUNCING - LEAD)

    events = sorted({event for _member, _kind, event in reminder_rows()})
    assert events == [f"reminder:election-announcing:{START}", f"reminder:election-announcing:{restart}"]
    assert len(reminder_rows()) == 8  # members 1-4, once per round


def test_members_who_have_not_voted_are_reminded_to_vote(chain, dao):
    dao.election_stage("VOTING", block=START)
    council.vote(dao, account="controller-of-2", block=START + 5)
    dao.members["4"].boundAccounts = ["staking-of-dave"]
    council.vote(dao, account="staking-of-dave", block=START + 6)
    end = START + VOTING

    _run_at(chain, end - LEAD)

    assert reminders() == dict.fromkeys((1, 3), "ELECTION_VOTING_LAST_DAY")
    assert reminder_of(1).data["election"]["stage"] == "VOTING"


def test_voters_who_have_not_revealed_are_reminded_to_reveal(chain, dao):
    dao.election_stage("VOTING", block=START)
    council.vote(dao, account="controller-of-2", block=START + 5)
    carol = council.vote(dao, account="root-of-3", block=START + 6)
    revealing = START + VOTING
    dao.election_stage("REVEALING", block=revealing)
    council.reveal(dao, vote=carol)
    end = revealing + REVEALING

    _run_at(chain, end - LEAD)

    assert reminders() == {2: "ELECTION_REVEALING_LAST_DAY_VOTER"}
    assert reminder_of(2).event_id == f"reminder:election-revealing:{revealing}"
    # the reminder names the account that still has a vote to reveal
    assert reminder_of(2).data["accounts"] == [{"address": "controller-of-2", "label": ""}]


def test_a_new_council_ends_the_election_and_its_reminders(chain, dao):
    dao.election_stage("REVEALING", block=START)
    council.council_elected(dao, members=[1, 2], block=START + 100)

    _run_at(chain, START + REVEALING - LEAD)

    assert reminders() == {}


@pytest.mark.parametrize("stage", ["VOTING", "REVEALING"])
def test_a_stage_that_ended_is_never_reminded(chain, dao, stage):
    dao.election_stage(stage, block=START)

    _run_at(chain, START + VOTING)

    assert reminders() == {}
