"""The `proposals` scenario: proposals through every status, for a look at their notifications
(`python -m qn_ingest.fake_node --scenario proposals`, then `manage.py notify` with STARTING_BLOCK=0).

alice (1) and bob (2) sit on the council, carol (3) proposes. One proposal is voted, approved
and executed; one is approved for a later council, sleeps Dormant and comes back to Deciding
under a new council (dave, 4); one is rejected; one is cancelled by carol; one fails to execute.
"""

from __future__ import annotations

from qn_ingest.fake_node.proposals import create_proposal, decide, elect_council, execute, set_status, vote
from qn_ingest.fake_node.scenarios import scenario
from qn_ingest.fake_node.server import FakeQueryNode


@scenario("proposals")
def proposals(node: FakeQueryNode) -> None:
    """Every proposal event type, in the chain's order (see the module docstring)."""
    data = node.data
    alice, bob, carol, dave = (
        data.member(i, handle=h) for i, h in enumerate(["alice", "bob", "carol", "dave"], 1)
    )
    elect_council(data, members=[alice, bob])

    funded = create_proposal(data, creator=carol, title="Fund the forum moderators")
    vote(data, proposal=funded, voter=alice, rationale="Moderation keeps the forum usable.")
    vote(data, proposal=funded, voter=bob, kind="ABSTAIN", rationale="I moderate there myself.")
    decide(data, proposal=funded, decision="Gracing")
    execute(data, proposal=funded)

    upgrade = create_proposal(data, creator=carol, title="Runtime upgrade")
    vote(data, proposal=upgrade, voter=alice)
    decide(data, proposal=upgrade, decision="Dormant")
    elect_council(data, members=[bob, dave])
    set_status(data, proposal=upgrade, status="Deciding", block=data.head)

    rejected = create_proposal(data, creator=carol, title="Double every reward")
    vote(data, proposal=rejected, voter=dave, kind="REJECT", rationale="The budget cannot carry it.")
    decide(data, proposal=rejected, decision="Rejected")

    cancelled = create_proposal(data, creator=carol, title="A typo in the title")
    decide(data, proposal=cancelled, decision="Cancelled")

    failing = create_proposal(data, creator=carol, title="Pay a closed account")
    decide(data, proposal=failing, decision="Gracing")
    execute(data, proposal=failing, error="Insufficient balance")
