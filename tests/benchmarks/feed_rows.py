"""The feed rows: `notifications(limit: 50)` and `notificationsCount` on the API served by
gunicorn as deployed (pioneer/gunicorn.conf.py), against `{ __typename }` on the same server:
the cost of HTTP, Django, authentication-free GraphQL and the client, with no feed work."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import psycopg
import requests
from django.db import connection

from members.tokens import auth_token_issue
from notifications.models import Notification
from tests.benchmarks.delivery_rows import free_port
from tests.benchmarks.harness import ROOT, Row, child_env, median, p99
from tests.benchmarks.ingest_rows import members_create, notifications_clear
from tests.polling import wait_until

FLOOR = "{ __typename }"
FEED = "{ notifications(limit: 50) { id kind eventId entityId isRead createdAt message link } }"
COUNT = "{ notificationsCount }"
UNREAD = "{ notificationsCount(isRead: false) }"
CONCURRENCY = 10
_DATA = {
    "event_type": "PostAddedEvent",
    "author": {"id": 2, "handle": "member2"},
    "thread": {"id": "7", "title": "A thread about the budget"},
    "category": {"id": "3", "title": "Governance"},
    "post": {"id": "55", "excerpt": "lorem ipsum " * 20},
}


def feed_rows_fill(database_url: str, *, member_id: int, rows: int) -> None:
    """`rows` notifications of one member, a fifth of them unread, written with COPY; the
    columns not set here get the model's defaults."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    data = json.dumps(_DATA)
    fields = [field for field in Notification._meta.concrete_fields if not field.primary_key]
    with psycopg.connect(database_url) as conn, conn.cursor() as cursor:
        defaults = {field.column: field.get_db_prep_save(field.get_default(), connection) for field in fields}
        columns = ", ".join(field.column for field in fields)
        with cursor.copy(f"COPY notifications_notification ({columns}) FROM STDIN") as copy:
            for i in range(rows):
                created = start + timedelta(seconds=i)
                row = {
                    **defaults,
                    "member_id": member_id,
                    "kind": "FORUM_POST_MENTION",
                    "event_id": f"{i}-1",
                    "entity_id": str(i),
                    "email_status": "SENT",
                    "sent_at": created,
                    "is_read": i % 5 != 0,
                    "created_at": created,
                    "in_block": i,
                    "data": data,
                }
                copy.write_row([row[field.column] for field in fields])
        conn.commit()
    with psycopg.connect(database_url, autocommit=True) as conn:
        # A table that has lived a while has been vacuumed: the visibility map is set.
        conn.execute("VACUUM ANALYZE notifications_notification")


class _Api:
    def __init__(self, env: dict[str, str]):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/graphql"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "pioneer/gunicorn.conf.py", "pioneer.wsgi"],
            cwd=ROOT,
            env={**env, "PORT": str(self.port), "GUNICORN_BIND_HOST": "127.0.0.1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(
            lambda: requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2).ok,
            timeout=60,
            what="gunicorn",
        )

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _timed(session: requests.Session, url: str, query: str, headers: dict) -> float:
    started = time.perf_counter()
    response = session.post(url, json={"query": query}, headers=headers, timeout=30)
    seconds = time.perf_counter() - started
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise SystemExit(f"{query} failed: {response.status_code} {body}")
    return seconds


def _sequential(api: _Api, headers: dict, queries: list[str], requests_each: int) -> dict[str, list[float]]:
    """Round-robin over the queries so that drift in the machine's speed hits all alike."""
    times: dict[str, list[float]] = {query: [] for query in queries}
    with requests.Session() as session:
        for query in queries:  # warm-up: connections, caches, first-request imports
            for _ in range(10):
                _timed(session, api.url, query, headers)
        for _ in range(requests_each):
            for query in queries:
                times[query].append(_timed(session, api.url, query, headers))
    return times


def _concurrent(api: _Api, headers: dict, query: str, requests_each: int) -> list[float]:
    times: list[float] = []
    lock = threading.Lock()

    def client() -> None:
        with requests.Session() as session:
            mine = [_timed(session, api.url, query, headers) for _ in range(requests_each)]
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def feed_rows(*, database_url: str, rows: int, requests_each: int, repeats: int) -> list[Row]:
    members_create(2)
    notifications_clear()
    feed_rows_fill(database_url, member_id=1, rows=rows)
    headers = {"Authorization": f"Bearer {auth_token_issue(member_id=1)}"}
    api = _Api(child_env())
    try:
        sequential = _sequential(api, headers, [FLOOR, FEED, COUNT, UNREAD], requests_each)
        concurrent = {FLOOR: [], FEED: []}
        for _ in range(repeats):  # alternating blocks, for the same reason
            for query in (FLOOR, FEED):
                concurrent[query].extend(
                    _concurrent(api, headers, query, max(1, requests_each // CONCURRENCY))
                )
    finally:
        api.stop()
    floors = {"sequential": sequential[FLOOR], f"{CONCURRENCY} concurrent": concurrent[FLOOR]}
    measured = [
        (f"notifications(limit: 50) at {rows:,} rows", "sequential", sequential[FEED], "≤ 1.5×"),
        (f"notifications(limit: 50) at {rows:,} rows", f"{CONCURRENCY} concurrent", concurrent[FEED], "≤ 2×"),
        (f"notificationsCount at {rows:,} rows", "sequential", sequential[COUNT], "≤ 1.3×"),
        (f"notificationsCount(isRead: false) at {rows:,} rows", "sequential", sequential[UNREAD], "≤ 1.3×"),
    ]
    return [
        _row(f"{name}, p99 {mode}", times, floors[mode], target) for name, mode, times, target in measured
    ]


def _row(measure: str, times: list[float], floor_times: list[float], target: str) -> Row:
    """The p99 against the floor's p99 (the target's terms), with both medians beside it: a p99 of
    a few hundred requests on a shared machine is the slowest handful, the median is steadier."""
    ms = 1000
    return Row(
        measure=measure,
        unit="ms",
        value=p99(times) * ms,
        floor=p99(floor_times) * ms,
        floor_name="{ __typename } on the same server",
        target=target,
        detail={
            "requests": len(times),
            "median_ms": round(median(times) * ms, 3),
            "floor_median_ms": round(median(floor_times) * ms, 3),
            "median_ratio": round(median(times) / median(floor_times), 2),
        },
    )
