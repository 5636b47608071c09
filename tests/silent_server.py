"""A TCP server that accepts connections and never answers: a hung SMTP server or query node."""

from __future__ import annotations

import socket
import threading


class SilentServer:
    """Accepts every connection on 127.0.0.1 and holds it open without a byte of reply."""

    def __init__(self):
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:  # closed
                return
            self.connections.append(connection)

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._closed.set()
        self._listener.close()
        for connection in self.connections:
            connection.close()
        self._thread.join(timeout=5)
