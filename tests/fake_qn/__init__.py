"""A fake Joystream query node for tests and demos: a real HTTP GraphQL server over
in-memory data (see store.py for the factories, server.py for fault injection).

    node = FakeQueryNode().start()
    alice = node.data.member(1, handle="alice")
    node.data.post(thread=..., author=alice, text="hi")   # appends the PostAddedEvent
    ...
    node.stop()

Standalone: python -m tests.fake_qn --port 8081 [--scenario NAME]
"""

from tests.fake_qn.server import FakeQueryNode
from tests.fake_qn.store import QueryNodeData

__all__ = ["FakeQueryNode", "QueryNodeData"]
