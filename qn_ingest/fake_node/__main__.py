"""Run the fake query node on its own:

    python -m qn_ingest.fake_node --port 8081 [--scenario NAME] [--verbose]

then point Pioneer Notify at it: QUERY_NODE_ENDPOINT=http://127.0.0.1:8081/graphql.
"""

from __future__ import annotations

import argparse
import sys

from qn_ingest.fake_node.scenarios import SCENARIOS
from qn_ingest.fake_node.server import FakeQueryNode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m qn_ingest.fake_node", description="A fake Joystream query node."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8081, help="port to listen on (default 8081)")
    parser.add_argument(
        "--scenario", default="empty", choices=sorted(SCENARIOS), help="data to serve (default: empty)"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)

    node = FakeQueryNode(host=args.host, port=args.port)
    node.verbose = args.verbose
    SCENARIOS[args.scenario](node)
    print(
        f"fake query node: scenario {args.scenario!r}, {len(node.data.events)} events, "
        f"serving http://{args.host}:{args.port}/graphql (Ctrl-C to stop)",
        flush=True,
    )
    try:
        node.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
