"""A local SMTP server that keeps what it receives: the SMTP path's "provider" in tests.

Usage: `with SmtpSink() as sink: ...` then `sink.messages` (parsed email.message.EmailMessage)
and `sink.wait_for(count)`. `sink.refuse_recipients = "550 5.1.1 No such user"` answers every
RCPT with that reply (a 4xx reply simulates greylisting); `sink.refusals` answers the next
RCPTs with its replies, one each, then accepts. `sink.rcpt_times` holds when each RCPT came
(time.monotonic()), to see how far apart attempts were. `sink.on_mail`, when set, is called
(in the server's thread) as each MAIL command arrives, before it is answered: what the
world looks like when an email reaches the server. Reusable by end-to-end tests.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from tests.polling import wait_until


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.sink.on_mail is not None:
            self.sink.on_mail()
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.sink.lock:
            self.sink.rcpt_times.append(time.monotonic())
            if self.sink.refusals:
                return self.sink.refusals.pop(0)
        if self.sink.refuse_recipients:
            return self.sink.refuse_recipients
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.sink.lock:
            self.sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.sink.messages.append(message)
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, host: str = "127.0.0.1", port: int | None = None):
        self.host = host
        self.port = port or _free_port()
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse_recipients: str | None = None
        self.refusals: list[str] = []
        self.rcpt_times: list[float] = []
        self.on_mail: Callable[[], None] | None = None
        self.lock = threading.Lock()
        self._controller = Controller(_Handler(self), hostname=host, port=self.port)

    def __enter__(self) -> SmtpSink:
        self._controller.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._controller.stop()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """Poll until `count` messages arrived (the SMTP client may still be finishing)."""

        def arrived() -> list[EmailMessage] | None:
            with self.lock:
                return list(self.messages) if len(self.messages) >= count else None

        return wait_until(
            arrived, timeout=timeout, what=f"{count} message(s) in the SMTP sink", interval=0.02
        )

    def django_settings(self) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": self.port,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_TIMEOUT": 10,
        }
