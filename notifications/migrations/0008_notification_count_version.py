"""A per-member version beside the notification counts (NotificationCount.version), bumped by the
same triggers on every insert, update or delete of one of the member's feed (in_app) rows, or a
row leaving or joining the feed: the key of the feed cache (pioneer/graphql_feed_cache.py).

Unlike the counts, the version also moves on updates that change neither owner nor read state
but something else the feed shows (an email status, the display data); updates of delivery
bookkeeping and tracking alone (retries, errors, opened_at, ...) move neither. TRUNCATE no
longer deletes the counts rows but zeroes them and bumps their versions, so a version never
repeats.
"""

import importlib

from django.db import migrations, models

COUNTS = "notifications_notificationcount"
ROWS = "notifications_notification"

# What the feed shows or filters on (notifications/feed_row.py, notifications/selectors.py): a
# change of anything else (delivery bookkeeping, tracking) moves neither counts nor version.
FEED_COLUMNS = (
    "id",
    "member_id",
    "kind",
    "event_id",
    "entity_id",
    "email_status",
    "is_read",
    "in_app",
    "created_at",
    "in_block",
    "data",
)


def _row(alias: str) -> str:
    return "ROW(" + ", ".join(f"{alias}.{column}" for column in FEED_COLUMNS) + ")"


# Each statement's counts rows are locked in member order (ORDER BY member_id; FOR UPDATE
# before an UPDATE), so two statements that touch many members cannot deadlock on them.
POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION notification_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {COUNTS} AS c (member_id, total, unread, version)
    SELECT member_id, count(*), count(*) FILTER (WHERE NOT is_read), 1 FROM new_rows WHERE in_app
    GROUP BY member_id ORDER BY member_id
    ON CONFLICT (member_id) DO UPDATE SET total = c.total + EXCLUDED.total,
        unread = c.unread + EXCLUDED.unread, version = c.version + 1;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION notification_counts_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM {COUNTS} WHERE member_id IN (SELECT member_id FROM old_rows WHERE in_app)
        ORDER BY member_id FOR UPDATE;
    UPDATE {COUNTS} AS c SET total = c.total - d.total, unread = c.unread - d.unread, version = c.version + 1
    FROM (SELECT member_id, count(*) AS total, count(*) FILTER (WHERE NOT is_read) AS unread
          FROM old_rows WHERE in_app GROUP BY member_id) AS d
    WHERE c.member_id = d.member_id;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION notification_counts_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The feed rows whose shown columns changed (a row is matched to itself by id): each
    -- moves its member's version, and its counts as it leaves (old) and joins (new).
    WITH changed AS (
        SELECT o.member_id AS old_member, o.in_app AS old_in_app, o.is_read AS old_read,
               n.member_id AS new_member, n.in_app AS new_in_app, n.is_read AS new_read
        FROM old_rows o FULL JOIN new_rows n ON n.id = o.id
        WHERE (o.in_app OR n.in_app) AND {_row("o")} IS DISTINCT FROM {_row("n")}
    )
    INSERT INTO {COUNTS} AS c (member_id, total, unread, version)
    SELECT member_id, sum(total), sum(unread), 1 FROM (
        SELECT new_member AS member_id, 1 AS total, (NOT new_read)::int AS unread FROM changed WHERE new_in_app
        UNION ALL
        SELECT old_member, -1, -(NOT old_read)::int FROM changed WHERE old_in_app
    ) AS delta
    GROUP BY member_id ORDER BY member_id
    ON CONFLICT (member_id) DO UPDATE SET total = c.total + EXCLUDED.total,
        unread = c.unread + EXCLUDED.unread, version = c.version + 1;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION notification_counts_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {COUNTS} SET total = 0, unread = 0, version = version + 1;
    RETURN NULL;
END $$;
"""

_SQLITE_ADD = f"""INSERT INTO {COUNTS} (member_id, total, unread, version)
        SELECT NEW.member_id, 1, NOT NEW.is_read, 1 WHERE NEW.in_app
        ON CONFLICT (member_id) DO UPDATE SET total = total + 1, unread = unread + excluded.unread,
        version = version + 1;"""
_SQLITE_REMOVE = f"""UPDATE {COUNTS} SET total = total - 1, unread = unread - (NOT OLD.is_read),
        version = version + 1 WHERE member_id = OLD.member_id AND OLD.in_app;"""
_SQLITE_CHANGED = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in FEED_COLUMNS)

SQLITE = [
    f"CREATE TRIGGER notification_counts_insert AFTER INSERT ON {ROWS} BEGIN {_SQLITE_ADD} END",
    f"CREATE TRIGGER notification_counts_delete AFTER DELETE ON {ROWS} BEGIN {_SQLITE_REMOVE} END",
    f"CREATE TRIGGER notification_counts_update AFTER UPDATE ON {ROWS} WHEN {_SQLITE_CHANGED} "
    f"BEGIN {_SQLITE_REMOVE} {_SQLITE_ADD} END",
]


def _previous():
    return importlib.import_module("notifications.migrations.0006_notification_counts")


def sqlite_unhook(apps, schema_editor):
    """SQLite adds a column by copying the table, which the triggers' names in it would break:
    they are dropped first, and made again after (install, or 0006's on the way back)."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in _previous().SQLITE_DROP:
            schema_editor.execute(statement)


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"notification counts have no triggers for {vendor}")


def uninstall(apps, schema_editor):
    """Back to migration 0006's triggers (which ignore the version column, dropped next); on
    SQLite only once the column is gone (sqlite_rehook_previous)."""
    previous = _previous()
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(previous.POSTGRESQL_DROP)
        schema_editor.execute(previous.POSTGRESQL)
    elif vendor == "sqlite":
        for statement in previous.SQLITE_DROP:
            schema_editor.execute(statement)


def sqlite_rehook_previous(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in _previous().SQLITE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0007_notification_claimed_until"),
    ]

    operations = [
        migrations.RunPython(sqlite_unhook, sqlite_rehook_previous),
        migrations.AddField(
            model_name="notificationcount",
            name="version",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(install, uninstall),
    ]
