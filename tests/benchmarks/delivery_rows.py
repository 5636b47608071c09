"""The delivery row: `notify` sending N notification emails to a local SMTP server, against
`smtplib` sending the very same bytes over one connection to the same server."""

from __future__ import annotations

import smtplib
import socket
import threading
import time

from aiosmtpd.controller import Controller

from notifications.models import EmailStatus, Notification
from qn_ingest.fake_node.server import FakeQueryNode
from qn_ingest.fake_node.store import QueryNodeData
from tests.benchmarks.harness import Row, child_env, manage_run, median, seconds_in
from tests.benchmarks.ingest_rows import members_create, notifications_clear


class Keep:
    """Accepts everything and keeps each message's envelope and raw bytes (for the floor)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"

    def take(self) -> list[tuple[str, list[str], bytes]]:
        with self.lock:
            received, self.received = self.received, []
        return received


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtplib_floor_seconds(host: str, port: int, messages: list[tuple[str, list[str], bytes]]) -> float:
    started = time.perf_counter()
    with smtplib.SMTP(host, port) as smtp:
        for mail_from, rcpt_tos, content in messages:
            smtp.sendmail(mail_from, rcpt_tos, content)
    return time.perf_counter() - started


def pending_again() -> None:
    Notification.objects.update(email_status=EmailStatus.PENDING, sent_at=None, provider_message_id=None)


def delivery_row(*, emails: int, repeats: int) -> Row:
    keep = Keep()
    port = free_port()
    controller = Controller(keep, hostname="127.0.0.1", port=port)
    controller.start()
    data = QueryNodeData()
    data.election_stage("ANNOUNCING", block=10)  # one event that every member hears of by email
    node = FakeQueryNode(data).start()
    env = child_env(QUERY_NODE_ENDPOINT=node.url, EMAIL_URL=f"smtp://127.0.0.1:{port}")
    try:
        members_create(emails, with_email=True)
        notifications_clear()
        seconds, floors, sizes = [], [], []
        for attempt in range(repeats):
            if attempt:
                pending_again()
            run = manage_run(["notify"], env)
            received = keep.take()
            if len(received) != emails:
                raise SystemExit(
                    f"notify sent {len(received)} emails, expected {emails}:\n{run.stdout[-2000:]}"
                )
            seconds.append(seconds_in("Delivery done", run.stdout))
            floors.append(smtplib_floor_seconds("127.0.0.1", port, received))
            keep.take()
            sizes = [len(content) for _, _, content in received]
    finally:
        node.stop()
        controller.stop()
    return Row(
        measure=f"delivery: {emails:,} emails of ~{sum(sizes) / len(sizes) / 1024:.1f} KB "
        "to a local SMTP server (notify)",
        unit="s",
        value=median(seconds),
        floor=median(floors),
        floor_name="smtplib, one connection, the same bytes",
        target="≤ 1.5×",
        detail={
            "emails_per_second": emails / median(seconds),
            "floor_emails_per_second": emails / median(floors),
            "runs": seconds,
            "floors": floors,
        },
    )
