"""`manage.py import_ts_backend`: the TypeScript backend's database, imported (issue 17).

The old database is a real PostgreSQL database with the old schema (conftest.py next to this file).
"""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command

from members.models import Member
from members.ts_backend_import import ts_backend_import
from members.ts_backend_source import TsBackendSource
from notifications.delivery import notification_email_build
from notifications.models import Notification
from qn_ingest.models import IngestCursor
from subscriptions.models import Subscription
from tests.conftest import GraphQLClient
from tests.factories import MemberFactory, NotificationFactory, SubscriptionFactory
from tests.members.tokens_helpers import old_backend_token
from tests.members.ts_backend.conftest import (
    IMPORTED_NOTIFICATIONS,
    IMPORTED_SUBSCRIPTIONS,
    MEMBERS,
    NOTIFICATIONS,
    RETIRED_KIND,
    SUBSCRIPTIONS,
)

ROOT = Path(__file__).resolve().parents[3]
ME = "query { me { id name email } }"
FEED = "query { notifications { id kind eventId entityId emailStatus isRead message link } }"


def run_import(url: str, *args: str) -> str:
    out = StringIO()
    call_command("import_ts_backend", "--from", url, *args, stdout=out)
    return out.getvalue()


def target_rows() -> dict:
    """Everything the import can write, with the timestamps that prove whether a row was touched."""
    return {
        "members": list(
            Member.objects.values_list(
                "id", "name", "email", "unverified_email", "receive_emails", "updated_at"
            )
        ),
        "subscriptions": list(
            Subscription.objects.order_by("id").values_list(
                "id",
                "member_id",
                "kind",
                "entity_id",
                "should_notify",
                "should_notify_by_email",
                "updated_at",
            )
        ),
        "notifications": list(
            Notification.objects.order_by("id").values_list(
                "id",
                "member_id",
                "kind",
                "event_id",
                "entity_id",
                "email_status",
                "retry_count",
                "is_read",
                "data",
            )
        ),
        "cursor": list(IngestCursor.objects.values_list("block", "event_ids", "updated_at")),
    }


def test_every_row_is_imported_as_it_was(old_database):
    output = run_import(old_database.url)

    assert (
        list(Member.objects.values_list("id", "name", "email", "unverified_email", "receive_emails"))
        == MEMBERS
    )
    assert list(
        Subscription.objects.order_by("id").values_list(
            "id", "member_id", "kind", "entity_id", "should_notify", "should_notify_by_email"
        )
    ) == sorted(IMPORTED_SUBSCRIPTIONS)
    assert (
        list(
            Notification.objects.order_by("id").values_list(
                "id", "member_id", "kind", "event_id", "entity_id", "email_status", "retry_count", "is_read"
            )
        )
        == IMPORTED_NOTIFICATIONS
    )
    assert [data for data in Notification.objects.values_list("data", flat=True)] == [{"imported": True}] * 6
    cursor = IngestCursor.objects.get()
    assert (cursor.block, cursor.event_ids) == (4200, ["4200-1", "4200-3"])
    assert "members: 23 read, 23 created, 0 unchanged" in output
    assert "subscriptions: 6 read, 5 created, 0 unchanged, 0 overwritten, 0 differing, 1 skipped" in output
    assert "notifications: 7 read, 6 created" in output
    assert f"1 skipped (unknown kind {RETIRED_KIND})" in output
    assert "duplicate FORUM_POST_ALL subscriptions of member 1: kept the newest #4, dropped #1" in output
    assert (
        "duplicate FORUM_POST_MENTION subscriptions of member 2: kept the newest #9, dropped #8, #5" in output
    )
    assert "ingest cursor: created at block 4200 (+2 events)" in output
    assert "Import done." in output


def test_new_rows_after_the_import_get_ids_past_the_imported_ones(old_database):
    run_import(old_database.url)

    subscription = SubscriptionFactory(member_id=3, kind="FORUM_THREAD_ALL")
    notification = NotificationFactory(member_id=3, event_id="4300-1")

    assert subscription.id > max(row[0] for row in SUBSCRIPTIONS)
    assert notification.id > max(row[0] for row in NOTIFICATIONS)


def test_a_second_run_changes_nothing(old_database):
    run_import(old_database.url)
    before = target_rows()

    output = run_import(old_database.url)

    assert target_rows() == before
    assert "members: 23 read, 0 created, 23 unchanged, 0 overwritten, 0 differing" in output
    assert "subscriptions: 6 read, 0 created, 5 unchanged" in output
    assert "notifications: 7 read, 0 created, 6 unchanged" in output
    assert "ingest cursor: unchanged at block 4200" in output


def test_a_dry_run_prints_what_it_would_do_and_writes_nothing(old_database):
    output = run_import(old_database.url, "--dry-run")

    assert "members: 23 read, 23 created" in output
    assert "notifications: 7 read, 6 created" in output
    assert "Dry run: nothing was written." in output
    assert target_rows() == {"members": [], "subscriptions": [], "notifications": [], "cursor": []}


def test_progress_is_printed_on_long_tables(old_database):
    output = run_import(old_database.url, "--progress-every", "10", "--batch-size", "4")

    assert [line for line in output.splitlines() if line.startswith("members: ") and "/" in line] == [
        "members: 12/23",
        "members: 20/23",
        "members: 23/23",
    ]


def test_a_target_with_different_data_is_refused_unless_forced(old_database):
    # given: this backend already knows member 1 under another name, with a subscription
    # that takes the id of the old subscription #4, and a member of its own
    MemberFactory(id=1, name="alice-renamed", email="alice@example.org", unverified_email=None)
    SubscriptionFactory(id=4, member_id=1, kind="FORUM_THREAD_ALL", should_notify=False)
    MemberFactory(id=999, name="zed")
    before = target_rows()

    # when / then: refused, one clear line, nothing written
    with pytest.raises(CommandError, match=r"different data for 1 row\(s\).*--force"):
        run_import(old_database.url)
    assert target_rows() == before

    # when forced: the old database wins, rows only this backend has are kept
    output = run_import(old_database.url, "--force")

    assert "differs: member 1: name 'alice-renamed' here, 'alice' in the old database" in output
    assert "members: 23 read, 22 created, 0 unchanged, 1 overwritten, 1 differing" in output
    assert Member.objects.get(id=1).name == "alice"
    assert Member.objects.get(id=999).name == "zed"
    assert Subscription.objects.get(id=4).kind == "FORUM_THREAD_ALL"
    imported = Subscription.objects.get(member_id=1, kind="FORUM_POST_ALL")
    assert (imported.should_notify, imported.should_notify_by_email) == (True, False)
    assert imported.id != 4


def test_a_moved_cursor_is_a_difference(old_database):
    IngestCursor.objects.create(block=5000, event_ids=[])

    with pytest.raises(CommandError, match="different data"):
        run_import(old_database.url)

    assert "ingest cursor: moved to block 4200" in run_import(old_database.url, "--force")
    assert IngestCursor.objects.get().block == 4200


def test_the_old_database_is_opened_read_only(old_database):
    with TsBackendSource(old_database.url) as source:
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            source.connection.execute("""DELETE FROM "Member" """)


def test_a_database_without_the_old_tables_is_refused_in_one_line(empty_old_database):
    with pytest.raises(CommandError) as error:
        run_import(empty_old_database.url)

    assert str(error.value) == (
        'the old database has no table "Member", "Subscription", "Notification", "Store": '
        "is --from the TypeScript backend's database?"
    )


def test_a_malformed_progress_row_is_refused(old_database):
    old_database.execute("""UPDATE "Store" SET value = '{"block": "soon"}' WHERE key = 'Progress'""")

    with pytest.raises(CommandError, match='the "Progress" row of "Store" is not'):
        run_import(old_database.url)
    assert not Member.objects.exists()


def test_an_imported_member_keeps_using_the_token_of_the_old_backend(old_database):
    with TsBackendSource(old_database.url) as source:
        ts_backend_import(source=source)

    client = GraphQLClient(token=old_backend_token(1))

    assert client.execute(ME) == {"me": {"id": 1, "name": "alice", "email": "alice@example.org"}}


def test_imported_notifications_show_in_the_feed_and_render_as_email(old_database):
    run_import(old_database.url)

    feed = GraphQLClient(token=old_backend_token(1)).execute(FEED)["notifications"]

    assert {row["eventId"] for row in feed} == {"4100-2", "4100-3", "4200-1"}
    assert all(row["message"] and row["link"].startswith("http") for row in feed)
    for notification in Notification.objects.select_related("member"):
        email = notification_email_build(notification=notification)
        assert email.subject and email.body


def test_an_unreachable_database_is_one_line_without_traceback(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'target.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_ts_backend", "--from", "postgres://nobody@127.0.0.1:1/old"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("CommandError: cannot connect to the old database:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_url_that_is_not_postgresql_is_refused(db):
    with pytest.raises(CommandError, match="--from must be a PostgreSQL URL"):
        run_import("mysql://old/pioneer")
