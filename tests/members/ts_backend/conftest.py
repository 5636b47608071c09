"""Fixtures: a scratch copy of the TypeScript backend's database: its schema (as Prisma created it) and
realistic rows, on the PostgreSQL server the tests use. Dropped again after each test."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from subscriptions.kinds import NotificationKind
from tests.services import require_postgres

# A kind the old backend had and this one does not know, to prove such rows are skipped.
RETIRED_KIND = "FORUM_POST_REACTION"

SCHEMA = """
CREATE TYPE "NotificationKind" AS ENUM ({kinds});
CREATE TYPE "NotificationEmailStatus" AS ENUM ('PENDING', 'SENT', 'FAILED', 'IGNORED');
CREATE TABLE "Member" (
    id integer PRIMARY KEY,
    name text NOT NULL,
    email text,
    "unverifiedEmail" text,
    "receiveEmails" boolean NOT NULL DEFAULT true
);
CREATE TABLE "Subscription" (
    id serial PRIMARY KEY,
    "memberId" integer NOT NULL REFERENCES "Member"(id),
    kind "NotificationKind" NOT NULL,
    "entityId" text,
    "shouldNotify" boolean NOT NULL DEFAULT true,
    "shouldNotifyByEmail" boolean NOT NULL DEFAULT true
);
-- NULLs are distinct here, which is how duplicate general subscriptions got in.
CREATE UNIQUE INDEX "Subscription_memberId_kind_entityId_key"
    ON "Subscription" ("memberId", kind, "entityId");
CREATE TABLE "Notification" (
    id serial PRIMARY KEY,
    "memberId" integer NOT NULL REFERENCES "Member"(id),
    kind "NotificationKind" NOT NULL,
    "eventId" text NOT NULL,
    "entityId" text,
    "emailStatus" "NotificationEmailStatus" NOT NULL DEFAULT 'PENDING',
    "retryCount" integer NOT NULL DEFAULT 0,
    "isRead" boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX "Notification_memberId_eventId_key" ON "Notification" ("memberId", "eventId");
CREATE TABLE "Store" (key text PRIMARY KEY, value jsonb NOT NULL);
"""

MEMBERS = [
    (1, "alice", "alice@example.org", None, True),
    (2, "bob", None, "bob@example.org", False),
    (3, "carol", "carol@example.org", "carol@new.example.org", True),
    *[(100 + n, f"member{n}", f"member{n}@example.org", None, True) for n in range(20)],
]
SUBSCRIPTIONS = [
    # id, memberId, kind, entityId, shouldNotify, shouldNotifyByEmail
    (1, 1, "FORUM_POST_ALL", None, False, False),
    (2, 1, "FORUM_THREAD_ENTITY_POST", "12", True, True),
    (3, 2, "PROPOSAL_ENTITY_DISCUSSION", "7", False, False),
    (4, 1, "FORUM_POST_ALL", None, True, False),  # duplicate of #1, newer: wins
    (5, 2, "FORUM_POST_MENTION", None, False, False),
    (6, 3, RETIRED_KIND, None, True, True),
    (7, 3, "FORUM_CATEGORY_ENTITY_THREAD", "3", True, False),
    (8, 2, "FORUM_POST_MENTION", None, True, True),  # duplicate of #5, newer: wins
    (9, 2, "FORUM_POST_MENTION", None, False, True),  # and newer still: wins over both
]
NOTIFICATIONS = [
    # id, memberId, kind, eventId, entityId, emailStatus, retryCount, isRead
    (1, 1, "FORUM_POST_MENTION", "4100-2", "55", "SENT", 0, True),
    (2, 1, "FORUM_THREAD_ENTITY_POST", "4100-3", "56", "SENT", 1, False),
    (3, 2, "FORUM_THREAD_CREATOR", "4150-1", "57", "IGNORED", 0, False),
    (4, 3, "ELECTION_VOTING_STARTED", "4180-0", "4180-0", "FAILED", 3, False),
    (5, 3, "PROPOSAL_DISCUSSION_MENTION", "4199-4", "88", "PENDING", 2, False),
    (6, 3, RETIRED_KIND, "4199-5", "89", "SENT", 0, True),
    (7, 1, "FORUM_CATEGORY_ENTITY_THREAD", "4200-1", "13", "PENDING", 0, False),
]
PROGRESS = {"block": 4200, "eventIds": ["4200-3", "4200-1"]}

IMPORTED_SUBSCRIPTIONS = [row for row in SUBSCRIPTIONS if row[0] in {2, 3, 4, 7, 9}]
IMPORTED_NOTIFICATIONS = [row for row in NOTIFICATIONS if row[2] != RETIRED_KIND]


@dataclass
class OldDatabase:
    url: str
    name: str

    def execute(self, query: str, params: list | None = None) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(query, params)

    def fill(self) -> None:
        with psycopg.connect(self.url) as conn:
            with conn.cursor() as cursor:
                cursor.executemany('INSERT INTO "Member" VALUES (%s, %s, %s, %s, %s)', MEMBERS)
                cursor.executemany(
                    'INSERT INTO "Subscription" VALUES (%s, %s, %s, %s, %s, %s)', SUBSCRIPTIONS
                )
                cursor.executemany(
                    'INSERT INTO "Notification" VALUES (%s, %s, %s, %s, %s, %s, %s, %s)', NOTIFICATIONS
                )
                cursor.execute(
                    'INSERT INTO "Store" VALUES (%s, %s), (%s, %s)',
                    ["Progress", psycopg.types.json.Jsonb(PROGRESS), "Other", psycopg.types.json.Jsonb(1)],
                )

    def create_schema(self) -> None:
        kinds = ", ".join(f"'{kind}'" for kind in [*NotificationKind.values, RETIRED_KIND])
        self.execute(SCHEMA.format(kinds=kinds))


def _server_url(database: str) -> str:
    params = connection.settings_dict
    user = params.get("USER") or "postgres"
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = f"{params.get('HOST') or '127.0.0.1'}:{params.get('PORT') or 5432}"
    return f"postgres://{user}{password}@{host}/{database}"


@pytest.fixture
def empty_old_database(db):
    """A new, empty database on the test server; dropped after the test."""
    require_postgres()
    name = f"pioneer_tsold_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_server_url("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield OldDatabase(url=_server_url(name), name=name)
    finally:
        with psycopg.connect(_server_url("postgres"), autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def old_database(empty_old_database):
    """The old schema with the rows above."""
    empty_old_database.create_schema()
    empty_old_database.fill()
    return empty_old_database
