"""PROPOSAL_VOTE_LAST_DAY_*: the last day of a proposal's voting period, from a fake query node
(the proposal's deciding stage and its votes) and a fake chain (the head and the durations),
through the whole ingest run."""

from __future__ import annotations

import pytest

from members.models import EmailFrequency, Member
from notifications.delivery import notifications_deliver_pending
from notifications.models import EmailStatus, Notification
from notifications.presentation import notification_link, notification_message
from qn_ingest.fake_chain import metadata_with_constant
from qn_ingest.fake_node import proposals
from qn_ingest.services import ingest_run
from tests.factories import SubscriptionFactory
from tests.reminders.conftest import LEAD, SIGNAL_VOTING, reminder_of, reminder_rows, reminders

CREATED_AT = 100
END = CREATED_AT + SIGNAL_VOTING
OPENS = END - LEAD
COUNCILLOR = "PROPOSAL_VOTE_LAST_DAY_COUNCILLOR"


@pytest.fixture
def proposal(dao):
    return proposals.create_proposal(dao, creator=1, title="Fund the forum", block=CREATED_AT)


def _run_at(chain, head: int):
    chain.head = head
    return ingest_run()


def test_councillors_are_reminded_once_from_the_window_opening_and_never_after_the_end(chain, proposal):
    assert _run_at(chain, OPENS - 1).reminders == 0
    assert reminders() == {}

    summary = _run_at(chain, OPENS)
    assert summary.reminders == 2
    assert reminders() == {2: COUNCILLOR, 3: COUNCILLOR}  # erin (5) is not registered

    for head in (OPENS + 1, END - 1, END, END + 5000):
        assert _run_at(chain, head).reminders == 0
    assert len(reminder_rows()) == 2


def test_a_run_late_in_the_window_still_reminds_but_a_run_after_the_end_does_not(chain, dao):
    late = proposals.create_proposal(dao, creator=1, title="Late", block=CREATED_AT)
    _run_at(chain, END - 600)  # an hour before the end: the first run that sees the window
    assert reminders() == {2: COUNCILLOR, 3: COUNCILLOR}
    notification = reminder_of(2)
    assert notification.entity_id == late.id
    assert notification.event_id == f"reminder:proposal-voting:{late.id}:{CREATED_AT}"
    assert notification.data["deadline"]["block"] == END
    assert notification.data["deadline"]["left"] == "1 hour"

    Notification.objects.filter(event_id__startswith="reminder:").delete()
    proposals.create_proposal(dao, creator=1, title="Missed", block=CREATED_AT + 1)
    _run_at(chain, END + 1)  # both voting periods are over
    assert reminders() == {}


def test_the_reminder_states_the_deadline_the_time_left_and_the_block(chain, proposal):
    _run_at(chain, OPENS + 600)  # 23 hours left

    data = reminder_of(2).data
    assert data["event_type"] == "ProposalVotingEnds"
    assert data["proposal"] == {"id": proposal.id, "title": "Fund the forum"}
    assert data["deadline"]["block"] == END and data["deadline"]["left"] == "23 hours"
    assert data["deadline"]["time"].endswith(" UTC")
    message = notification_message(COUNCILLOR, data)
    assert message == (
        "You have 23 hours left to vote on Fund the forum: "
        f"voting ends {data['deadline']['time']}, block #{END}"
    )
    assert (
        notification_link(COUNCILLOR, data, "https://p.test")
        == f"https://p.test/#/proposals/preview/{proposal.id}"
    )


def test_a_councillor_who_voted_in_this_round_gets_nothing(chain, dao, proposal):
    proposals.vote(dao, proposal=proposal, voter=3, block=CREATED_AT + 50)

    _run_at(chain, OPENS)

    assert reminders() == {2: COUNCILLOR}


def test_opted_in_members_get_the_all_kind_and_a_councillor_one_reminder(chain, proposal):
    for member_id in (2, 4):
        SubscriptionFactory(member=Member.objects.get(id=member_id), kind="PROPOSAL_VOTE_LAST_DAY_ALL")

    _run_at(chain, OPENS)

    assert reminders() == {2: COUNCILLOR, 3: COUNCILLOR, 4: "PROPOSAL_VOTE_LAST_DAY_ALL"}


def test_switches_mutes_and_receive_emails_apply(chain, proposal):
    bob, carol = Member.objects.get(id=2), Member.objects.get(id=3)
    # bob mutes the proposal; carol keeps the reminder in the app but not by email
    SubscriptionFactory(member=bob, kind="PROPOSAL_ENTITY_STATUS", entity_id=proposal.id, should_notify=False)
    SubscriptionFactory(member=carol, kind=COUNCILLOR, should_notify_by_email=False)
    # dave watches the proposal: a watch alone brings no reminder
    SubscriptionFactory(member=Member.objects.get(id=4), kind="PROPOSAL_ENTITY_STATUS", entity_id=proposal.id)

    _run_at(chain, OPENS)

    assert reminders() == {3: COUNCILLOR}
    assert reminder_of(3).email_status == EmailStatus.IGNORED


def test_a_councillor_with_emails_off_is_reminded_in_the_app_only(chain, proposal):
    Member.objects.filter(id=2).update(receive_emails=False)

    _run_at(chain, OPENS)

    statuses = {m: reminder_of(m).email_status for m in (2, 3)}
    assert statuses == {2: EmailStatus.IGNORED, 3: EmailStatus.PENDING}


def test_a_proposal_decided_before_the_window_is_not_reminded(chain, dao, proposal):
    proposals.decide(dao, proposal=proposal, decision="Rejected", block=CREATED_AT + 500)

    _run_at(chain, OPENS)

    assert reminders() == {}


def test_a_proposal_back_in_deciding_gets_a_new_period_and_new_reminders(chain, dao, proposal):
    _run_at(chain, OPENS)
    first = reminder_rows()
    assert [member for member, _kind, _event in first] == [2, 3]
    # approved but Dormant (it needs a second council); a new council (bob, dave) takes it up again
    proposals.decide(dao, proposal=proposal, decision="Dormant", block=OPENS + 10)
    proposals.elect_council(dao, members=[2, 4], block=OPENS + 20)
    back = OPENS + 30
    proposals.set_status(dao, proposal=proposal, status="Deciding", block=back)

    _run_at(chain, back + SIGNAL_VOTING - LEAD - 1)
    assert reminder_rows() == first  # the new window is not open yet
    _run_at(chain, back + SIGNAL_VOTING - LEAD)

    new = sorted(set(reminder_rows()) - set(first))
    event_id = f"reminder:proposal-voting:{proposal.id}:{back}"
    assert new == [(2, COUNCILLOR, event_id), (4, COUNCILLOR, event_id)]


def test_a_new_runtime_version_with_another_voting_period_moves_the_deadline(chain, proposal):
    shorter = 20000
    _run_at(chain, CREATED_AT + shorter - LEAD)  # too early under runtime 2004
    assert reminders() == {}

    chain.upgrade(2005, metadata_with_constant(chain.metadata, "SignalProposalParameters", shorter))
    _run_at(chain, CREATED_AT + shorter - LEAD)

    assert reminders() == {2: COUNCILLOR, 3: COUNCILLOR}
    assert reminder_of(2).data["deadline"]["block"] == CREATED_AT + shorter


def test_the_type_of_the_proposal_chooses_its_voting_period(chain, dao):
    upgrade = proposals.create_proposal(dao, creator=1, title="Upgrade", block=CREATED_AT)
    upgrade.details_type = "RuntimeUpgradeProposalDetails"  # votes for 100800 blocks

    _run_at(chain, OPENS)  # a signal proposal's window, not this one's
    assert reminders() == {}
    _run_at(chain, CREATED_AT + 100800 - LEAD)
    assert reminders() == {2: COUNCILLOR, 3: COUNCILLOR}


def test_a_member_on_a_daily_digest_gets_the_reminder_email_at_once(chain, proposal, mailoutbox):
    Member.objects.filter(id=2).update(email_frequency=EmailFrequency.DAILY)

    _run_at(chain, OPENS)
    notifications_deliver_pending()  # what `notify` does after the ingest

    assert reminder_of(2).email_status == EmailStatus.SENT
    subjects = [message.subject for message in mailoutbox if "bob@example.org" in message.to]
    assert "Last day to vote on Fund the forum" in subjects
