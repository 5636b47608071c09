"""The fake query node in its own process, driven by the test through stdin.

    python -m tests.e2e.query_node --port 8081

Each stdin line is a JSON call of one of the store's factories (qn_ingest/fake_node/store.py),
relations given as ids:

    {"method": "member", "kwargs": {"id": 1, "handle": "alice", "controller_account": "j4..."}}
    {"method": "post", "kwargs": {"id": "50", "thread": "10", "author": "2", "text": "hi"}}

A test sees a call applied when `GET /` reports the new event count. SIGTERM stops it.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from qn_ingest.fake_node.server import FakeQueryNode

FACTORIES = {"member", "category", "thread", "post", "proposal", "proposal_post", "election_stage", "worker"}


def apply_commands(node: FakeQueryNode, lines) -> None:
    for line in lines:
        if not line.strip():
            continue
        call = json.loads(line)
        if call["method"] not in FACTORIES:
            print(f"query node: unknown method {call['method']!r}", flush=True)
            continue
        getattr(node.data, call["method"])(*call.get("args", []), **call.get("kwargs", {}))
        print(f"query node: {call['method']} {call.get('kwargs', {})}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.query_node")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)

    node = FakeQueryNode(port=args.port).start()
    print(f"query node: serving {node.url}", flush=True)
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    threading.Thread(target=apply_commands, args=(node, sys.stdin), daemon=True).start()
    stopped.wait()
    node.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
