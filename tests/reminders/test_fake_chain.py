"""The fake Joystream node answers substrate-interface's own calls like a real node: the chain,
the head, a block's number and the runtime constants decoded from the metadata it serves."""

from __future__ import annotations

from substrateinterface import SubstrateInterface

from qn_ingest.fake_chain import FakeChainNode
from tests.reminders.conftest import ANNOUNCING, SIGNAL_VOTING


def test_substrate_interface_reads_the_head_and_the_constants_of_the_fake_node():
    with FakeChainNode(head=1234) as node:
        substrate = SubstrateInterface(url=node.url)
        try:
            assert substrate.chain == "Joystream"
            assert substrate.get_block_number(substrate.get_chain_head()) == 1234
            assert substrate.get_constant("Council", "AnnouncingPeriodDuration").value == ANNOUNCING
            parameters = substrate.get_constant("ProposalsCodex", "SignalProposalParameters").value
            assert parameters["voting_period"] == SIGNAL_VOTING
            node.head = 1300
            assert substrate.get_block_number(substrate.get_chain_head()) == 1300
        finally:
            substrate.close()
        assert {"system_chain", "rpc_methods", "state_getRuntimeVersion", "state_getMetadata"} <= set(
            node.calls
        )
