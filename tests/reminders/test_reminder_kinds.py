"""The reminder rows of the kinds table: each warns of one deadline, reads no query-node event
type, and every deadline has a kind; the in-app feed line states the deadline."""

from __future__ import annotations

from notifications.presentation import notification_message
from notifications.samples import sample_data
from qn_ingest.queries import HANDLED_EVENT_TYPES
from subscriptions.kinds import KINDS, Deadline, Role, kinds_for_deadline

REMINDER_KINDS = {
    "PROPOSAL_VOTE_LAST_DAY_COUNCILLOR": (Deadline.PROPOSAL_VOTING, Role.COUNCILLOR, True),
    "PROPOSAL_VOTE_LAST_DAY_ALL": (Deadline.PROPOSAL_VOTING, Role.EVERYONE, False),
    "ELECTION_ANNOUNCING_LAST_DAY": (Deadline.ELECTION_ANNOUNCING, Role.EVERYONE, True),
    "ELECTION_VOTING_LAST_DAY": (Deadline.ELECTION_VOTING, Role.EVERYONE, True),
    "ELECTION_REVEALING_LAST_DAY_VOTER": (Deadline.ELECTION_REVEALING, Role.PARTICIPANT, True),
}


def test_the_reminder_kinds_are_appended_with_their_deadline_role_and_default():
    reminders = [kind for kind in KINDS if kind.deadline is not None]
    assert [kind.name for kind in reminders] == list(REMINDER_KINDS)
    assert [kind.name for kind in KINDS[-len(REMINDER_KINDS) :]] == list(REMINDER_KINDS)
    for kind in reminders:
        assert (kind.deadline, kind.role, kind.default_on) == REMINDER_KINDS[kind.name]
        assert kind.event_types == () and not kind.is_entity


def test_every_deadline_has_a_kind_and_no_query_node_type_is_invented():
    assert all(kinds_for_deadline(deadline) for deadline in Deadline)
    assert not set(HANDLED_EVENT_TYPES) & {deadline.value for deadline in Deadline}


def test_each_feed_line_states_the_deadline_the_time_left_and_the_block():
    for name in REMINDER_KINDS:
        line = notification_message(name, sample_data(name))
        assert "2024-06-12 14:30 UTC" in line and "21 hours" in line and "#4231800" in line, line
