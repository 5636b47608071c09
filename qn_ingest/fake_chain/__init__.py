"""A fake Joystream (Substrate) node for tests and demos: JSON-RPC over plain HTTP on loopback,
serving the vendored runtime metadata (qn_ingest/chain/) and a head block the caller moves.

    chain = FakeChainNode(head=1000).start()          # CHAIN_RPC_URL=chain.url
    chain.head = 5000                                  # the chain moved on
    chain.upgrade(2005, metadata_with_constant(chain.metadata, "VoteStageDuration", 7200))
    chain.fail_always("error")                         # or "timeout", "500"; stop() refuses
    chain.stop()

Standalone: python -m qn_ingest.fake_chain --port 9933 --head 1000
"""

from qn_ingest.fake_chain.runtime import metadata_with_constant
from qn_ingest.fake_chain.server import FakeChainNode

__all__ = ["FakeChainNode", "metadata_with_constant"]
