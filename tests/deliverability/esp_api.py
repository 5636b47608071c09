"""The SendGrid and Mailgun sending APIs, answering on 127.0.0.1 (the one thing tests fake).

Anymail's real SendGrid and Mailgun backends post to it over HTTP (their API URL settings
point here), so the message id stored at send time is the one each provider's webhooks
carry: SendGrid's is the `anymail_id` Anymail puts in the message's custom_args, Mailgun's
the id its API answers with.
"""

from __future__ import annotations

import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAILGUN_DOMAIN = "mg.example.org"


class _Handler(BaseHTTPRequestHandler):
    server: EspApi
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.requests.append((self.path, body))
        if self.path.endswith("/mail/send"):  # SendGrid v3: 202 and an empty body
            self._answer(202, b"")
        elif self.path.endswith(f"/{MAILGUN_DOMAIN}/messages"):
            message_id = f"<20260101000000.{next(self.server.numbers)}@{MAILGUN_DOMAIN}>"
            self._answer(200, json.dumps({"id": message_id, "message": "Queued. Thank you."}).encode())
        else:
            self._answer(404, b'{"message": "not found"}')

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class EspApi(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, bytes]] = []
        self.numbers = itertools.count(1)
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> EspApi:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.shutdown()
        self.server_close()
