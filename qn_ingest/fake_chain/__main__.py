"""Run the fake Joystream node on its own:

    python -m qn_ingest.fake_chain --port 9933 --head 1000 [--verbose]

then point Pioneer Notify at it: CHAIN_RPC_URL=http://127.0.0.1:9933. It serves the vendored
runtime metadata (specVersion 2004) and a head that stays where it was put.
"""

from __future__ import annotations

import argparse
import sys

from qn_ingest.fake_chain.server import FakeChainNode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m qn_ingest.fake_chain", description="A fake Joystream node (JSON-RPC over HTTP)."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=9933, help="port to listen on (default 9933)")
    parser.add_argument("--head", type=int, default=0, help="the current block number (default 0)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    node = FakeChainNode(head=args.head, host=args.host, port=args.port)
    node.verbose = args.verbose
    print(
        f"fake chain: specVersion {node.spec_version}, head #{args.head}, "
        f"serving http://{args.host}:{args.port} (Ctrl-C to stop)",
        flush=True,
    )
    try:
        node.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
