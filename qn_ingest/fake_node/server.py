"""The fake query node's HTTP server: POST /graphql (any path) with a GraphQL body.

Faults for tests are queued with `fail_next` (or `fail_always`) and consumed one per
request: "500" and "429" (plain-text error status), "timeout" (answers only after
`timeout_delay` seconds), "malformed" (HTTP 200 with a body that is not JSON) and
"graphql_error" (HTTP 200 with a GraphQL `errors` answer).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from qn_ingest.fake_node.execution import execute
from qn_ingest.fake_node.lifecycle import LoopbackServerLifecycle
from qn_ingest.fake_node.store import QueryNodeData

OPERATION_NAME = re.compile(r"\b(?:query|mutation)\s+(\w+)")
FAULTS = {"500", "429", "timeout", "malformed", "graphql_error"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a handler sleeping for a "timeout" fault must not block shutdown
    block_on_close = False

    def __init__(self, address, node: FakeQueryNode):
        self.node = node
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if self.server.node.verbose:
            super().log_message(format, *args)

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout fault): nothing to do

    def _send_json(self, status: int, payload: dict) -> None:
        self._send(status, json.dumps(payload).encode())

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self._send_json(200, {"status": "ok", "events": len(self.server.node.data.events)})

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        node = self.server.node
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
            query = body["query"]
        except (ValueError, KeyError, TypeError):
            self._send_json(400, {"errors": [{"message": "Body must be JSON with a `query`"}]})
            return
        node.record(body)
        fault = node.take_fault()
        if fault == "500":
            self._send(500, b"Internal Server Error", "text/plain")
            return
        if fault == "429":
            self._send(429, b"Too Many Requests", "text/plain")
            return
        if fault == "malformed":
            self._send(200, b"<html>upstream is having a bad day", "text/html")
            return
        if fault == "graphql_error":
            self._send_json(200, {"data": None, "errors": [{"message": "Injected query-node failure"}]})
            return
        if fault == "timeout":
            time.sleep(node.timeout_delay)
        elif node.latency:
            time.sleep(node.latency)
        result = execute(node.data, query, body.get("variables"), body.get("operationName"))
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [error.formatted for error in result.errors]
        # Like Apollo/Hydra: a request that could not run at all (syntax, validation) is a 400.
        self._send_json(400 if result.errors and result.data is None else 200, payload)


class FakeQueryNode(LoopbackServerLifecycle):
    """A real HTTP GraphQL server over QueryNodeData, run in a background thread."""

    server_class = _Server
    thread_name = "fake-query-node"

    def __init__(self, data: QueryNodeData | None = None, *, host: str = "127.0.0.1", port: int = 0):
        self.data = data or QueryNodeData()
        self.host = host
        self.port = port
        self.timeout_delay = 2.0
        self.latency = 0.0  # seconds added to every answer (e.g. to make two runs overlap)
        self.verbose = False
        self.requests: list[dict] = []
        self._faults: deque[str] = deque()
        self._always: str | None = None
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/graphql"

    # --- faults and observation -----------------------------------------------
    def fail_next(self, fault: str, times: int = 1) -> None:
        """The next `times` requests fail with `fault` (see the module docstring)."""
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {sorted(FAULTS)}")
        with self._lock:
            self._faults.extend([fault] * times)

    def fail_always(self, fault: str | None) -> None:
        """Every request fails with `fault` until fail_always(None)."""
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; one of {sorted(FAULTS)}")
        with self._lock:
            self._always = fault

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()
            self._always = None

    def take_fault(self) -> str | None:
        with self._lock:
            if self._faults:
                return self._faults.popleft()
            return self._always

    def record(self, body: dict) -> None:
        with self._lock:
            name = body.get("operationName")
            if not name:  # gql omits operationName when the document has a single operation
                match = OPERATION_NAME.search(str(body.get("query", "")))
                name = match.group(1) if match else None
            self.requests.append({"operationName": name, "variables": body.get("variables")})

    def operations(self) -> list[str | None]:
        """Names of the operations received so far, in order (e.g. to count queries per run)."""
        with self._lock:
            return [request["operationName"] for request in self.requests]
