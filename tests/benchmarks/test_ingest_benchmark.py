"""Ingest and delivery throughput and memory: numbers to watch, not timed assertions.

Run with `make bench` (SQLite) or with DATABASE_URL set (PostgreSQL). The data set is
built from a fixed random seed, so two runs on one machine measure the same work.
Only shape is asserted (queries per page and memory do not grow with the backlog).
"""

from __future__ import annotations

import random
import time
import tracemalloc

import pytest

from notifications.delivery import notifications_deliver_pending
from notifications.models import EmailStatus, Notification
from qn_ingest.cursor import cursor_reset
from qn_ingest.fake_node.store import QueryNodeData
from qn_ingest.services import ingest_run
from tests.factories import MemberFactory, SubscriptionFactory

pytestmark = [pytest.mark.benchmark, pytest.mark.django_db(transaction=True)]

MEMBERS = 400
PAGE_SIZE = 50


def build_forum(data, *, posts: int, seed: int = 7) -> None:
    """`posts` forum posts over 40 threads in a two-level category tree, with mentions and replies."""
    rng = random.Random(seed)
    members = [data.member(i, handle=f"member{i}") for i in range(1, MEMBERS + 1)]
    roots = [data.category(f"Root {i}") for i in range(4)]
    leaves = [data.category(f"Leaf {i}", parent=roots[i % 4]) for i in range(12)]
    threads = [
        data.thread(author=rng.choice(members), category=rng.choice(leaves), title=f"Thread {i}", block=1)
        for i in range(40)
    ]
    for i in range(posts):
        mentioned = rng.choice(members)
        data.post(
            thread=rng.choice(threads),
            author=rng.choice(members),
            text=f"Post {i} for [@{mentioned.handle}](#mention?member-id={mentioned.id}) " + "lorem " * 40,
            block=2 + i // 5,
        )
    data.election_stage("ANNOUNCING", block=2 + posts // 5)


def register_members(seed: int = 7) -> None:
    rng = random.Random(seed)
    for i in range(1, MEMBERS + 1):
        member = MemberFactory(id=i, name=f"member{i}", email=f"member{i}@example.org")
        if rng.random() < 0.25:
            SubscriptionFactory(member=member, kind="FORUM_POST_ALL")


def ingest_from_scratch(*, traced: bool) -> tuple[float, int, int, int]:
    """(seconds, peak traced bytes or 0, notifications, pages). tracemalloc slows Python down
    several times, so time and memory are measured in separate runs."""
    Notification.objects.all().delete()
    cursor_reset(block=0)
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    summary = ingest_run(page_size=PAGE_SIZE)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    tracemalloc.stop()
    return seconds, peak, summary.notifications, summary.pages


def test_ingest_throughput_and_memory_stay_flat_with_the_backlog(fake_query_node, settings):
    register_members()
    peaks = []
    for posts in (300, 900):
        fake_query_node.data = QueryNodeData()  # a fresh query-node data set of this size
        build_forum(fake_query_node.data, posts=posts)
        seconds, _, notifications, pages = ingest_from_scratch(traced=False)
        _, peak, _, _ = ingest_from_scratch(traced=True)
        peaks.append(peak)
        events = posts + 1
        print(
            f"\n[bench] ingest of {events} events, {MEMBERS} members ({pages} pages of {PAGE_SIZE}): "
            f"{seconds:.2f}s = {events / seconds:.0f} events/s, "
            f"{notifications / seconds:.0f} notifications/s ({notifications} notifications); "
            f"peak traced memory {peak / 2**20:.1f} MiB"
        )
        assert notifications > events
    # Pages are bounded: three times the backlog must not mean three times the memory.
    assert peaks[1] < 1.5 * peaks[0]


def test_delivery_throughput(fake_query_node, settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    build_forum(fake_query_node.data, posts=60)
    register_members()
    cursor_reset(block=0)
    ingest_run(page_size=PAGE_SIZE)
    pending = Notification.objects.filter(email_status=EmailStatus.PENDING).count()

    started = time.perf_counter()
    summary = notifications_deliver_pending()
    seconds = time.perf_counter() - started

    print(
        f"\n[bench] delivery of {pending} emails (render + Anymail test backend): {seconds:.2f}s, "
        f"{pending / seconds:.0f} emails/s"
    )
    assert summary.sent == pending > 0
