"""A fake Joystream query node for tests and demos: a real HTTP GraphQL server over
in-memory data (see store.py for the factories, server.py for fault injection).

    node = FakeQueryNode().start()
    alice = node.data.member(1, handle="alice")
    node.data.post(thread=..., author=alice, text="hi")   # appends the PostAddedEvent
    ...
    node.stop()

Standalone: python -m qn_ingest.fake_node --port 8081 [--scenario NAME]
"""

from qn_ingest.fake_node.server import FakeQueryNode
from qn_ingest.fake_node.store import QueryNodeData

__all__ = ["FakeQueryNode", "QueryNodeData"]
