"""The ingest rows: fan-out (against a PostgreSQL COPY of the same rows), its peak memory at
two sizes, and forum events per second of our own time (the fake query node's serving time,
measured inside the node, is taken out).

`notify` runs as its own process, as an operator runs it; the fake query node runs in this
process, in a thread.
"""

from __future__ import annotations

import random
import threading
import time

import psycopg
from django.db import connection

from members.models import Member
from notifications.models import Notification
from qn_ingest.cursor import cursor_reset
from qn_ingest.fake_node import server as node_server
from qn_ingest.fake_node.server import FakeQueryNode
from qn_ingest.fake_node.store import QueryNodeData
from subscriptions.models import Subscription
from tests.benchmarks.harness import CELERY_QUEUE_KEYS, Row, child_env, manage_run, median, seconds_in

ELECTION_STAGES = ("ANNOUNCING", "VOTING", "REVEALING")
MEMBER_BATCH = 5000


class ServingClock:
    """Seconds the fake query node spent answering (parsing, executing, writing JSON)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._lock = threading.Lock()
        original = node_server._Handler.do_POST
        clock = self

        def timed(handler) -> None:
            started = time.perf_counter()
            try:
                original(handler)
            finally:
                with clock._lock:
                    clock.seconds += time.perf_counter() - started

        node_server._Handler.do_POST = timed

    def take(self) -> float:
        with self._lock:
            seconds, self.seconds = self.seconds, 0.0
        return seconds


def members_create(count: int, *, with_email: bool = False) -> None:
    Member.objects.all().delete()
    for start in range(1, count + 1, MEMBER_BATCH):
        Member.objects.bulk_create(
            Member(
                id=i,
                name=f"member{i}",
                email=f"member{i}@bench.example" if with_email else None,
            )
            for i in range(start, min(start + MEMBER_BATCH, count + 1))
        )


def notifications_clear() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_notification CASCADE")
    cursor_reset(block=0)


def _notify(node: FakeQueryNode, **env: str):
    return manage_run(["notify"], child_env(QUERY_NODE_ENDPOINT=node.url, EMAIL_URL="dummymail://", **env))


# --- fan-out ---------------------------------------------------------------------------
def _copy_columns() -> str:
    return ", ".join(
        f'"{field.column}"' for field in Notification._meta.concrete_fields if not field.primary_key
    )


def copy_floor_seconds(database_url: str) -> float:
    """COPY the notification rows `notify` wrote into a `LIKE … INCLUDING ALL` table: the
    fastest PostgreSQL writes those bytes, indexes and constraints included."""
    columns = _copy_columns()
    with psycopg.connect(database_url) as conn:
        with conn.cursor() as cursor:
            chunks = []
            with cursor.copy(f"COPY (SELECT {columns} FROM notifications_notification) TO STDOUT") as copy:
                chunks.extend(bytes(chunk) for chunk in copy)
            cursor.execute("DROP TABLE IF EXISTS bench_copy_floor")
            cursor.execute("CREATE TABLE bench_copy_floor (LIKE notifications_notification INCLUDING ALL)")
            conn.commit()
            started = time.perf_counter()
            with cursor.copy(f"COPY bench_copy_floor ({columns}) FROM STDIN") as copy:
                for chunk in chunks:
                    copy.write(chunk)
            conn.commit()
            seconds = time.perf_counter() - started
            cursor.execute("DROP TABLE bench_copy_floor")
            conn.commit()
    return seconds


def _election_node(events: int) -> FakeQueryNode:
    data = QueryNodeData()
    for i in range(events):
        data.election_stage(ELECTION_STAGES[i % 3], block=10 + i)
    return FakeQueryNode(data).start()


def fanout_rows(*, database_url: str, members: int, events: int, repeats: int) -> list[Row]:
    node = _election_node(events)
    try:
        # Memory at a quarter of the members first: "flat" means it must not grow with them.
        members_create(max(1, members // 4))
        notifications_clear()
        small_rss = _notify(node).peak_rss_bytes
        members_create(members)
        seconds, floors, rss, rows_written = [], [], [], 0
        for _ in range(repeats):
            notifications_clear()
            run = _notify(node)
            seconds.append(seconds_in("Ingest done", run.stdout))
            rss.append(run.peak_rss_bytes)
            rows_written = Notification.objects.count()
            floors.append(copy_floor_seconds(database_url))
    finally:
        node.stop()
    rows = events * members
    _rows_written_check(rows_written, rows)
    mib = 2**20
    return [
        _fanout_row(
            f"fan-out: {events} election events × {members:,} members = {rows:,} notifications",
            seconds,
            floors,
            rows,
        ),
        Row(
            measure=f"peak RSS of that notify ({members // 4:,} → {members:,} members)",
            unit="MiB",
            value=median(rss) / mib,
            target="≤ 150 MiB, flat as fan-out grows",
            detail={
                "small_mib": small_rss / mib,
                "growth": median(rss) / small_rss,
                "runs_mib": [r / mib for r in rss],
            },
        ),
    ]


# --- forum events ----------------------------------------------------------------------
def _forum_node(*, members: int, threads: int, posts: int, seed: int = 7) -> FakeQueryNode:
    rng = random.Random(seed)
    data = QueryNodeData()
    people = [data.member(i, handle=f"member{i}") for i in range(1, members + 1)]
    roots = [data.category(f"Root {i}") for i in range(4)]
    leaves = [data.category(f"Leaf {i}", parent=roots[i % 4]) for i in range(12)]
    forum_threads = [
        data.thread(
            author=rng.choice(people), category=rng.choice(leaves), title=f"Thread {i}", block=1 + i // 10
        )
        for i in range(threads)
    ]
    thread_posts: dict[str, list] = {thread.id: [] for thread in forum_threads}
    first_post_block = 2 + threads // 10
    for i in range(posts):
        thread = rng.choice(forum_threads)
        mentioned = rng.choice(people)
        text = "lorem ipsum " * 30
        if i % 3 == 0:
            text = f"[@{mentioned.handle}](#mention?member-id={mentioned.id}) {text}"
        earlier = thread_posts[thread.id]
        replies_to = rng.choice(earlier) if earlier and i % 4 == 0 else None
        post = data.post(
            thread=thread,
            author=rng.choice(people),
            text=text,
            replies_to=replies_to,
            block=first_post_block + i // 10,
        )
        earlier.append(post)
    return FakeQueryNode(data).start(), [thread.id for thread in forum_threads], [leaf.id for leaf in leaves]


def _forum_subscriptions(members: int, thread_ids: list[str], category_ids: list[str], seed: int = 7) -> None:
    """A tenth of the members watch a thread, one in twenty a category."""
    rng = random.Random(seed)
    rows = []
    for member_id in range(1, members + 1):
        if rng.random() < 0.10:
            rows.append(
                Subscription(
                    member_id=member_id, kind="FORUM_THREAD_ENTITY_POST", entity_id=rng.choice(thread_ids)
                )
            )
        if rng.random() < 0.05:
            rows.append(
                Subscription(
                    member_id=member_id, kind="FORUM_CATEGORY_ENTITY_POST", entity_id=rng.choice(category_ids)
                )
            )
    Subscription.objects.all().delete()
    Subscription.objects.bulk_create(rows)


def events_row(*, members: int, threads: int, posts: int, repeats: int) -> Row:
    clock = ServingClock()
    node, thread_ids, category_ids = _forum_node(members=members, threads=threads, posts=posts)
    try:
        members_create(members)
        _forum_subscriptions(members, thread_ids, category_ids)
        events = threads + posts
        own, totals, node_seconds, cpu, notifications = [], [], [], [], 0
        for _ in range(repeats):
            notifications_clear()
            clock.take()
            run = _notify(node)
            ingest = seconds_in("Ingest done", run.stdout)
            serving = clock.take()
            totals.append(ingest)
            node_seconds.append(serving)
            own.append(ingest - serving)
            notifications = Notification.objects.count()
            # The same `notify` with nothing new to read: start-up and the delivery pass, whose
            # CPU time is taken out of the run's to leave the ingest's own Python.
            idle = _notify(node)
            cpu.append(run.cpu_seconds - idle.cpu_seconds)
            clock.take()
    finally:
        node.stop()
        Subscription.objects.all().delete()
    return Row(
        measure=f"events: {events:,} forum events ({threads} threads, {posts:,} posts, {members} members)",
        unit="events/s",
        value=events / median(own),
        target="≥ 2,000 events/s of our own time",
        detail={
            "events_per_second_with_node": events / median(totals),
            "ingest_seconds": totals,
            "node_serving_seconds": node_seconds,
            "notify_ingest_cpu_seconds": cpu,
            "notifications": notifications,
        },
    )


def fanout_broker_row(*, database_url: str, members: int, events: int, repeats: int, broker_url: str) -> Row:
    """The fan-out as compose deploys it: members with an address, a broker, so the ingest also
    queues every email for the workers (none runs here: the tasks are dropped after each run)."""
    import redis

    broker = redis.Redis.from_url(broker_url)
    node = _election_node(events)
    try:
        members_create(members, with_email=True)
        seconds, floors, rows_written = [], [], 0
        for _ in range(repeats):
            notifications_clear()
            broker.delete(*CELERY_QUEUE_KEYS)
            # The foreground delivery pass that follows is cut short: the ingest is measured.
            run = _notify(node, CELERY_BROKER_URL=broker_url, EMAIL_DELIVERY_PASS_BUDGET_SECONDS="1")
            seconds.append(seconds_in("Ingest done", run.stdout))
            rows_written = Notification.objects.count()
            floors.append(copy_floor_seconds(database_url))
    finally:
        node.stop()
        broker.delete(*CELERY_QUEUE_KEYS)
    rows = events * members
    _rows_written_check(rows_written, rows)
    return _fanout_row(
        f"fan-out with a broker: the same, {members:,} members with email, every email queued",
        seconds,
        floors,
        rows,
    )


def _rows_written_check(written: int, expected: int) -> None:
    if written != expected:
        raise SystemExit(f"fan-out wrote {written} notifications, expected {expected}")


def _fanout_row(measure: str, seconds: list[float], floors: list[float], rows: int) -> Row:
    return Row(
        measure=measure,
        unit="s",
        value=median(seconds),
        floor=median(floors),
        floor_name="COPY of the same rows into a LIKE … INCLUDING ALL table",
        target="≤ 3×",
        detail={"rows_per_second": rows / median(seconds), "runs": seconds, "floors": floors},
    )
