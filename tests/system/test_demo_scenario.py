"""The `make demo` script reaches both demo members, each through several rules."""

from __future__ import annotations

from members.services import initial_memberships_parse, members_upsert_initial
from notifications.models import EmailStatus, Notification
from pioneer.runner import DEMO_MEMBERS
from qn_ingest.fake_node.demo_scenario import build_world, script
from qn_ingest.fake_node.scenarios import SCENARIOS
from qn_ingest.services import ingest_run

ELECTION_KINDS = {"ELECTION_ANNOUNCING_STARTED", "ELECTION_VOTING_STARTED", "ELECTION_REVEALING_STARTED"}


def test_demo_is_a_registered_scenario():
    assert "demo" in SCENARIOS


def test_the_demo_script_notifies_both_demo_members_by_email(db, fake_query_node):
    # given: the demo world, the demo members registered as `make demo` does
    members_upsert_initial(memberships=initial_memberships_parse(DEMO_MEMBERS))
    data = fake_query_node.data
    world = build_world(data)

    # when: every scripted action happens, then one ingest runs
    for action in script(data, world):
        action()
    summary = ingest_run()

    # then
    kinds = {
        member_id: set(Notification.objects.filter(member_id=member_id).values_list("kind", flat=True))
        for member_id in (1, 2)
    }
    assert (
        kinds[1]
        == {
            "FORUM_POST_REPLY",
            "FORUM_THREAD_CREATOR",
            "FORUM_THREAD_MENTION",
            "PROPOSAL_DISCUSSION_MENTION",
        }
        | ELECTION_KINDS
    )
    assert (
        kinds[2]
        == {
            "FORUM_POST_MENTION",
            "PROPOSAL_DISCUSSION_CREATOR",
            "FORUM_THREAD_CONTRIBUTOR",
            "FORUM_POST_REPLY",
        }
        | ELECTION_KINDS
    )
    assert summary.notifications == Notification.objects.count()
    assert set(Notification.objects.values_list("email_status", flat=True)) == {EmailStatus.PENDING}
