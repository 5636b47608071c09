"""The fake chain's HTTP server: JSON-RPC 2.0 over POST (any path), the methods substrate-interface
calls to read a head and a runtime (`system_chain`, `rpc_methods`, `chain_getHead`,
`chain_getBlockHash`, `chain_getHeader`, `state_getRuntimeVersion`, `state_getMetadata`).

Faults for tests (`fail_always`): "error" (a JSON-RPC error answer), "500" (an HTTP error) and
"timeout" (answers only after `timeout_delay` seconds); `stop()` makes the port refuse.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from qn_ingest.chain.constants import vendored_runtime
from qn_ingest.fake_node.lifecycle import LoopbackServerLifecycle

FAULTS = {"error", "500", "timeout"}
SPEC_NAME = "joystream-node"
EMPTY_ROOT = "0x" + "00" * 32


def block_hash(number: int) -> str:
    """A made-up but stable hash per block number: the number itself, zero-padded."""
    return "0x" + f"{number:064x}"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True  # a node stopped and started again takes its port back

    def __init__(self, address, node: FakeChainNode):
        self.node = node
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if self.server.node.verbose:
            super().log_message(format, *args)

    def _send(self, status: int, payload: dict | bytes) -> None:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if isinstance(payload, dict) else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout fault)

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        node = self.server.node
        try:
            request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            method, request_id = request["method"], request.get("id")
            params = request.get("params") or []
        except (ValueError, KeyError, TypeError):
            self._send(
                200, {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "Parse error"}}
            )
            return
        node.calls.append(method)
        fault = node.fault
        if fault == "timeout":
            time.sleep(node.timeout_delay)
        if fault == "500":
            self._send(500, b"Internal Server Error")
            return
        if fault == "error":
            error = {"code": -32000, "message": "Injected node failure"}
            self._send(200, {"jsonrpc": "2.0", "id": request_id, "error": error})
            return
        handler = node.methods().get(method)
        if handler is None:
            error = {"code": -32601, "message": f"Method not found: {method}"}
            self._send(200, {"jsonrpc": "2.0", "id": request_id, "error": error})
            return
        self._send(200, {"jsonrpc": "2.0", "id": request_id, "result": handler(params)})


class FakeChainNode(LoopbackServerLifecycle):
    """A JSON-RPC server in a background thread. `head` is a block number, or a callable giving
    one (the demo's chain follows the fake query node's blocks)."""

    server_class = _Server
    thread_name = "fake-chain"

    def __init__(self, *, head: int | Callable[[], int] = 0, host: str = "127.0.0.1", port: int = 0):
        self.head = head
        self.host = host
        self.port = port
        self.spec_version, self.metadata = vendored_runtime()
        self.fault: str | None = None
        self.timeout_delay = 2.0
        self.verbose = False
        self.calls: list[str] = []  # the methods called so far, in order
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- state -----------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def head_number(self) -> int:
        return int(self.head() if callable(self.head) else self.head)

    def upgrade(self, spec_version: int, metadata: str) -> None:
        """A runtime upgrade: a new specVersion, with its metadata."""
        self.spec_version, self.metadata = spec_version, metadata

    def fail_always(self, fault: str | None) -> None:
        """Every request fails with `fault` until fail_always(None)."""
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {sorted(FAULTS)}")
        self.fault = fault

    # --- JSON-RPC --------------------------------------------------------------
    def _header(self, params: list) -> dict:
        head = self.head_number()
        number = int(params[0], 16) if params and params[0] else head
        return {
            "parentHash": block_hash(max(number - 1, 0)),
            "number": hex(number),
            "stateRoot": EMPTY_ROOT,
            "extrinsicsRoot": EMPTY_ROOT,
            "digest": {"logs": []},
        }

    def _runtime_version(self, _params: list) -> dict:
        return {
            "specName": SPEC_NAME,
            "implName": SPEC_NAME,
            "authoringVersion": 12,
            "specVersion": self.spec_version,
            "implVersion": 0,
            "apis": [],
            "transactionVersion": 2,
            "stateVersion": 1,
        }

    def methods(self) -> dict[str, Callable[[list], Any]]:
        return {
            "system_chain": lambda _params: "Joystream",
            "rpc_methods": lambda _params: {"methods": sorted(self.methods())},
            "chain_getHead": lambda _params: block_hash(self.head_number()),
            "chain_getBlockHash": lambda params: block_hash(
                self.head_number() if not params or params[0] is None else int(params[0])
            ),
            "chain_getHeader": self._header,
            "state_getRuntimeVersion": self._runtime_version,
            "state_getMetadata": lambda _params: self.metadata,
        }
