"""The delivery row on the Celery path: one worker process (solo pool, as `celery -A pioneer
worker` runs in compose.yaml with one process) sends N notification emails queued the way the
ingest queues them, against `smtplib` sending the very same bytes over one connection.

Timed from the hand-off's commit (the moment the tasks may run) to the SMTP server receiving the
last email; the worker is started and idle before, so its start-up is not counted.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import redis
from aiosmtpd.controller import Controller

from notifications.models import EmailStatus, Notification
from qn_ingest.fake_node.server import FakeQueryNode
from qn_ingest.fake_node.store import QueryNodeData
from tests.benchmarks.delivery_rows import Keep, free_port, pending_again, smtplib_floor_seconds
from tests.benchmarks.harness import CELERY_QUEUE_KEYS, ROOT, Row, child_env, manage_run, median
from tests.benchmarks.ingest_rows import members_create, notifications_clear

# Run by `manage.py shell`: queue every PENDING notification as the ingest does, and print the
# time of the commit that releases the tasks.
_HAND_OFF = """
import time
from django.db import transaction
from notifications.models import Notification
from notifications.services import notifications_hand_off_for_delivery
with transaction.atomic():
    ids = Notification.objects.values_list("id", flat=True)
    queued = notifications_hand_off_for_delivery(notification_ids=ids)
    committed_at = time.time()
print(committed_at, queued)
"""
READY_SECONDS = 60
DELIVERED_SECONDS = 600


class _KeepTimed(Keep):
    """Keep, and when the last message arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.last_at = 0.0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        answer = await super().handle_DATA(server, session, envelope)
        self.last_at = time.time()
        return answer

    def count(self) -> int:
        with self.lock:
            return len(self.received)


class _Worker:
    """`celery -A pioneer worker` as its own process, one solo-pool process, idle once started."""

    def __init__(self, env: dict[str, str], log: Path):
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "pioneer", "worker", "--pool", "solo",
                 "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel", "info"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + READY_SECONDS
        while " ready." not in log.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"the Celery worker did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _delivered(keep: _KeepTimed, emails: int, worker: _Worker) -> None:
    deadline = time.monotonic() + DELIVERED_SECONDS
    while keep.count() < emails:
        if worker.process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the worker sent {keep.count()} of {emails}:\n{worker.log.read_text()[-3000:]}")
        time.sleep(0.02)


def delivery_worker_row(*, emails: int, repeats: int, broker_url: str) -> Row:
    broker = redis.Redis.from_url(broker_url)
    broker.delete(*CELERY_QUEUE_KEYS)  # no task of an earlier, interrupted run is left
    keep = _KeepTimed()
    port = free_port()
    controller = Controller(keep, hostname="127.0.0.1", port=port)
    controller.start()
    data = QueryNodeData()
    data.election_stage("ANNOUNCING", block=10)
    node = FakeQueryNode(data).start()
    smtp = f"smtp://127.0.0.1:{port}"
    env = {**child_env(QUERY_NODE_ENDPOINT=node.url, EMAIL_URL=smtp), "CELERY_BROKER_URL": broker_url}
    worker = None
    try:
        members_create(emails, with_email=True)
        notifications_clear()
        manage_run(["notify"], child_env(QUERY_NODE_ENDPOINT=node.url, EMAIL_URL=smtp))  # the rows
        keep.take()
        worker = _Worker(env, ROOT / "var" / "bench" / "worker.log")
        seconds, floors = [], []
        for _ in range(repeats):
            pending_again()
            hand_off = manage_run(["shell", "-c", _HAND_OFF], env)
            committed_at, queued = hand_off.stdout.split()[-2:]
            if int(queued) != emails:
                raise SystemExit(f"queued {queued} emails, expected {emails}:\n{hand_off.stdout[-2000:]}")
            _delivered(keep, emails, worker)
            seconds.append(keep.last_at - float(committed_at))
            sent = Notification.objects.filter(email_status=EmailStatus.SENT).count()
            if sent != emails:
                raise SystemExit(f"{sent} rows SENT after the worker's run, expected {emails}")
            received = keep.take()
            floors.append(smtplib_floor_seconds("127.0.0.1", port, received))
            keep.take()
    finally:
        if worker is not None:
            worker.stop()
        node.stop()
        controller.stop()
        broker.delete(*CELERY_QUEUE_KEYS)
    return Row(
        measure=f"delivery, Celery path: {emails:,} emails, one worker process (solo pool)",
        unit="s",
        value=median(seconds),
        floor=median(floors),
        floor_name="smtplib, one connection, the same bytes",
        target="≤ 1.5× (per worker process)",
        detail={"emails_per_second": emails / median(seconds), "runs": seconds, "floors": floors},
    )
