"""A loopback HTTP server that plays a chat service's webhook: it records each JSON post and
answers with scripted status codes (200 once the script is empty)."""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Post:
    path: str
    authorization: str
    body: dict
    status: int  # what the sink answered

    @property
    def title(self) -> str:
        return self.body.get("title", "")

    @property
    def message(self) -> str:
        return self.body.get("message", "")


class WebhookSink:
    def __init__(self) -> None:
        self.posts: list[Post] = []
        self.answers: deque[int] = deque()
        self.always: int | None = None
        # Set `pause`, and the next post waits inside the service until `release` is set.
        self.pause = threading.Event()
        self.entered = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - stdlib name
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with sink.lock:
                    paused = sink.pause.is_set()
                    sink.pause.clear()
                if paused:
                    sink.entered.set()
                    sink.release.wait(timeout=20)
                with sink.lock:
                    status = sink.always or (sink.answers.popleft() if sink.answers else 200)
                    sink.posts.append(Post(self.path, self.headers.get("Authorization", ""), body, status))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"answer": f"scripted {status}"}).encode())

            def log_message(self, format, *args) -> None:  # noqa: A002 - stdlib signature
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> WebhookSink:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    @property
    def accepted(self) -> list[Post]:
        """The posts answered 2xx: the messages the service took."""
        return [post for post in self.posts if 200 <= post.status < 300]

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(
        self, token: str = "hook-token-0123456789", *, user: str = "bot", password: str = "pw-secret-42"
    ) -> str:
        """A json:// Apprise URL to this sink; the token and the password are its secrets."""
        return f"json://{user}:{password}@127.0.0.1:{self.port}/hooks/{token}"
