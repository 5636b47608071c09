"""How a fake server of ours runs: in a thread for tests and the demo, in the foreground for
`python -m`, and stopped so that its port refuses connections (a node that is down)."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer


class LoopbackServerLifecycle:
    """Mixed into a fake node that sets `host`, `port`, `_server` and `_thread` (None) in its
    __init__; `server_class` is called as server_class((host, port), node)."""

    server_class: type[ThreadingHTTPServer]
    thread_name: str
    host: str
    port: int
    _server: ThreadingHTTPServer | None
    _thread: threading.Thread | None

    def _bind(self) -> ThreadingHTTPServer:
        self._server = self.server_class((self.host, self.port), self)
        self.port = self._server.server_address[1]
        return self._server

    def start(self):
        server = self._bind()
        # A short poll interval: shutdown() waits for it, and tests stop a node each.
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=self.thread_name, daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        server = self._bind()
        try:
            server.serve_forever()
        finally:
            server.server_close()

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
        if self._thread:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
