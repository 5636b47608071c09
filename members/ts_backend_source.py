"""Reading the TypeScript backend's database (the PostgreSQL schema its Prisma models created).

The connection is read-only twice over: the session default (`default_transaction_read_only`)
and the transaction itself, so not even a bug here can write to the old database. All reads
share one REPEATABLE READ snapshot, so tables read one after another stay consistent with each
other even if the old backend is still running. Long tables are streamed through server-side
cursors, so memory does not grow with the number of notifications.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
from psycopg import sql

PROGRESS_KEY = "Progress"
REQUIRED_TABLES = ("Member", "Subscription", "Notification", "Store")
CONNECT_TIMEOUT_SECONDS = 10
FETCH_SIZE = 2000


class SourceError(Exception):
    """The old database cannot be read as a TypeScript backend database; the message is one line."""


@dataclass(frozen=True)
class OldMember:
    id: int
    name: str
    email: str | None
    unverified_email: str | None
    receive_emails: bool


@dataclass(frozen=True)
class OldSubscription:
    id: int
    member_id: int
    kind: str
    entity_id: str | None
    should_notify: bool
    should_notify_by_email: bool


@dataclass(frozen=True)
class OldNotification:
    id: int
    member_id: int
    kind: str
    event_id: str
    entity_id: str | None
    email_status: str
    retry_count: int
    is_read: bool


@dataclass(frozen=True)
class OldProgress:
    block: int
    event_ids: list[str]


@dataclass(frozen=True)
class DuplicateSubscriptions:
    """Rows the old NULL-distinct unique index let through: same member and kind, no entity."""

    member_id: int
    kind: str
    kept_id: int
    dropped_ids: list[int]


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


class TsBackendSource:
    """A read-only session on the old database; use as a context manager."""

    def __init__(self, url: str):
        if not url.startswith(("postgres://", "postgresql://")):
            raise SourceError("--from must be a PostgreSQL URL: postgres://user:password@host:port/database")
        self.url = url
        self.connection: psycopg.Connection | None = None

    def __enter__(self) -> TsBackendSource:
        try:
            self.connection = psycopg.connect(
                self.url,
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                options="-c default_transaction_read_only=on",
            )
            self.connection.read_only = True
            self.connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        except psycopg.Error as exc:
            raise SourceError(f"cannot connect to the old database: {_one_line(exc)}") from exc
        self._check_tables()
        return self

    def __exit__(self, *exc_info) -> None:
        if self.connection is not None:
            self.connection.rollback()
            self.connection.close()

    def _check_tables(self) -> None:
        found = {
            row[0]
            for row in self._fetch(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_name = ANY(%s)",
                [list(REQUIRED_TABLES)],
            )
        }
        missing = [name for name in REQUIRED_TABLES if name not in found]
        if missing:
            names = ", ".join(f'"{name}"' for name in missing)
            raise SourceError(
                f"the old database has no table {names}: is --from the TypeScript backend's database?"
            )

    def _fetch(self, query: str | sql.Composable, params: list | None = None) -> list[tuple]:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(query, params)
                return cursor.fetchall()
        except psycopg.Error as exc:
            raise SourceError(f"cannot read the old database: {_one_line(exc)}") from exc

    def _stream(self, query: str) -> Iterator[tuple]:
        try:
            with self.connection.cursor(name="ts_import") as cursor:
                cursor.itersize = FETCH_SIZE
                cursor.execute(query)
                yield from cursor
        except psycopg.Error as exc:
            raise SourceError(f"cannot read the old database: {_one_line(exc)}") from exc

    def count(self, table: str) -> int:
        return self._fetch(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))[0][0]

    def members(self) -> Iterator[OldMember]:
        query = 'SELECT id, name, email, "unverifiedEmail", "receiveEmails" FROM "Member" ORDER BY id'
        for row in self._stream(query):
            yield OldMember(*row)

    def subscriptions(self) -> Iterator[OldSubscription]:
        """One row per (member, kind, entity id): of duplicates, the newest (highest id) wins."""
        query = (
            'SELECT DISTINCT ON ("memberId", kind, "entityId") id, "memberId", kind::text, "entityId", '
            '"shouldNotify", "shouldNotifyByEmail" FROM "Subscription" '
            'ORDER BY "memberId", kind, "entityId", id DESC'
        )
        for row in self._stream(query):
            yield OldSubscription(*row)

    def subscription_duplicates(self) -> list[DuplicateSubscriptions]:
        rows = self._fetch(
            'SELECT "memberId", kind::text, array_agg(id ORDER BY id DESC) FROM "Subscription" '
            'GROUP BY "memberId", kind, "entityId" HAVING count(*) > 1 ORDER BY "memberId", kind'
        )
        return [DuplicateSubscriptions(member_id, kind, ids[0], ids[1:]) for member_id, kind, ids in rows]

    def notifications(self) -> Iterator[OldNotification]:
        query = (
            'SELECT id, "memberId", kind::text, "eventId", "entityId", "emailStatus"::text, '
            '"retryCount", "isRead" FROM "Notification" ORDER BY id'
        )
        for row in self._stream(query):
            yield OldNotification(*row)

    def progress(self) -> OldProgress | None:
        """The ingest position, or None when the old backend never stored one."""
        rows = self._fetch('SELECT value FROM "Store" WHERE key = %s', [PROGRESS_KEY])
        if not rows:
            return None
        value = rows[0][0]
        block = value.get("block") if isinstance(value, dict) else None
        event_ids = value.get("eventIds", []) if isinstance(value, dict) else None
        if (
            not isinstance(block, int)
            or isinstance(block, bool)
            or block < 0
            or not isinstance(event_ids, list)
            or not all(isinstance(event_id, str) for event_id in event_ids)
        ):
            raise SourceError(
                f'the "{PROGRESS_KEY}" row of "Store" is not {{"block": <int>, "eventIds": [<string>]}}: '
                f"{str(value)[:200]}"
            )
        return OldProgress(block=block, event_ids=event_ids)
