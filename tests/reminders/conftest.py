"""Fixtures of the deadline reminder tests: a fake query node with registered members and a
council, and a fake Joystream node (CHAIN_RPC_URL) whose head a test moves."""

from __future__ import annotations

import pytest

from notifications.models import Notification
from qn_ingest.fake_chain import FakeChainNode
from tests.factories import MemberFactory

# Signal proposals vote for 43200 blocks, elections announce for 86400 and vote and reveal for
# 57600 each (runtime 2004); the window opens 24 hours (14400 blocks) before a stage ends.
SIGNAL_VOTING = 43200
ANNOUNCING = 86400
VOTING = 57600
REVEALING = 57600
LEAD = 14400


@pytest.fixture
def chain(settings):
    node = FakeChainNode(head=0).start()
    settings.CHAIN_RPC_URL = node.url
    settings.CHAIN_RPC_TIMEOUT_SECONDS = 2.0
    settings.REMINDER_LEAD_HOURS = 24
    try:
        yield node
    finally:
        node.stop()


@pytest.fixture
def dao(fake_query_node, db):
    """alice (1), bob (2), carol (3) and dave (4) registered; bob and carol on the council;
    erin (5) on chain only, also on the council."""
    data = fake_query_node.data
    for member_id, handle in ((1, "alice"), (2, "bob"), (3, "carol"), (4, "dave"), (5, "erin")):
        data.member(member_id, handle=handle)
        if member_id != 5:
            MemberFactory(id=member_id, name=handle)
    data.council(members=[2, 3, 5], elected_at_block=1)
    return data


def reminders(kind: str | None = None) -> dict[int, str]:
    """member → kind of the reminders stored (each member at most once per reminder)."""
    rows = Notification.objects.filter(event_id__startswith="reminder:")
    if kind:
        rows = rows.filter(kind=kind)
    pairs = list(rows.values_list("member_id", "kind"))
    result = dict(pairs)
    assert len(result) == len(pairs), "a member got two reminders"
    return result


def reminder_rows() -> list[tuple[int, str, str]]:
    return sorted(
        Notification.objects.filter(event_id__startswith="reminder:").values_list(
            "member_id", "kind", "event_id"
        )
    )


def reminder_of(member_id: int) -> Notification:
    return Notification.objects.get(member_id=member_id, event_id__startswith="reminder:")
