"""Rate-limit windows counted in a database table: where the limits count without a Redis cache.

Django's database cache, which django-ratelimit would count in otherwise, culls a third of its
entries whenever it holds more than MAX_ENTRIES (300 by default): with a few hundred keys
counting at once, live counters were dropped at random and their limits started again from
zero. Here each (group, key) is one row (members.RateLimitWindow) holding its window's end and
its count: the limits' usage is one SELECT for all of them, a use one INSERT … ON CONFLICT DO
UPDATE (PostgreSQL and SQLite alike). When a key starts a new window, the rows whose windows
have ended are deleted, so the table holds about one row per key used within its last window.

Windows are fixed, as django-ratelimit's: each ends on a multiple of its period, shifted by an
offset taken from the key, so that not every window ends at the same second.

The uses join the caller's transaction: a request that rolls back (it changed nothing and sent
nothing) has spent nothing.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.db import connection

from members.models import RateLimitWindow

_PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_parse(rate: str) -> tuple[int, int]:
    """("60/m" →) the uses allowed and the window's length in seconds ("10/5m": 10 per 300 s)."""
    count, per = rate.split("/")
    return int(count), int(per[:-1] or 1) * _PERIOD_SECONDS[per[-1].lower()]


@dataclass(frozen=True)
class WindowUse:
    bucket: str
    limit: int
    window_end: int  # Unix time
    used: int  # uses so far in this window

    def time_left(self, now: int) -> int:
        return self.window_end - now


def _bucket(group: str, key: str) -> str:
    return hashlib.sha256(f"{group}\0{key}".encode("utf-8", "surrogatepass")).hexdigest()


def _window_end(bucket: str, period: int, now: int) -> int:
    offset = int(bucket[:8], 16) % period
    return now + period - (now - offset) % period


def windows_usage(limits: list[tuple[str, str, str]], now: int) -> list[WindowUse]:
    """The current window of each (group, rate, key), in the order given: one query."""
    wanted = []
    for group, rate, key in limits:
        limit, period = rate_parse(rate)
        bucket = _bucket(group, key)
        wanted.append((bucket, limit, _window_end(bucket, period, now)))
    stored = dict(
        (bucket, (end, count))
        for bucket, end, count in RateLimitWindow.objects.filter(
            bucket__in=[bucket for bucket, _, _ in wanted]
        ).values_list("bucket", "window_end", "count")
    )
    uses = []
    for bucket, limit, end in wanted:
        stored_end, count = stored.get(bucket, (None, 0))
        uses.append(
            WindowUse(bucket=bucket, limit=limit, window_end=end, used=count if stored_end == end else 0)
        )
    return uses


def windows_spend(uses: list[WindowUse], now: int) -> None:
    """One more use in each window (as read by windows_usage); the ended windows are deleted
    when one of them starts."""
    table = connection.ops.quote_name(RateLimitWindow._meta.db_table)
    with connection.cursor() as cursor:
        for use in uses:
            cursor.execute(
                f"INSERT INTO {table} (bucket, window_end, count) VALUES (%s, %s, 1) "
                "ON CONFLICT (bucket) DO UPDATE SET "
                f"count = CASE WHEN {table}.window_end = excluded.window_end "
                f"THEN {table}.count + 1 ELSE 1 END, "
                "window_end = excluded.window_end",
                [use.bucket, use.window_end],
            )
        if any(use.used == 0 for use in uses):
            cursor.execute(f"DELETE FROM {table} WHERE window_end <= %s", [now])


def now_seconds() -> int:
    return int(time.time())
