"""pytest fixture `fake_query_node` (imported by tests/conftest.py)."""

from __future__ import annotations

import pytest

from qn_ingest.fake_node.server import FakeQueryNode


@pytest.fixture
def fake_query_node(settings):
    """A fake query node on a free port, with QUERY_NODE_ENDPOINT pointing at it and
    short retry backoffs so fault tests stay fast."""
    node = FakeQueryNode().start()
    settings.QUERY_NODE_ENDPOINT = node.url
    settings.QUERY_NODE_BACKOFF_SECONDS = 0.01
    try:
        yield node
    finally:
        node.stop()
