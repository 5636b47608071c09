"""Per-member notification counts kept by triggers (notifications.models.NotificationCount).
Only rows shown in the feed (in_app) count, as in notifications.selectors.

PostgreSQL: statement-level triggers with transition tables, so one ingest INSERT of 300,000
rows updates each member's count once, not once per row. SQLite has row-level triggers only.
"""

from django.db import migrations, models

COUNTS = "notifications_notificationcount"
ROWS = "notifications_notification"

POSTGRESQL = f"""
CREATE FUNCTION notification_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {COUNTS} AS c (member_id, total, unread)
    SELECT member_id, count(*), count(*) FILTER (WHERE NOT is_read) FROM new_rows WHERE in_app
    GROUP BY member_id
    ON CONFLICT (member_id) DO UPDATE SET total = c.total + EXCLUDED.total, unread = c.unread + EXCLUDED.unread;
    RETURN NULL;
END $$;

CREATE FUNCTION notification_counts_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {COUNTS} AS c SET total = c.total - d.total, unread = c.unread - d.unread
    FROM (SELECT member_id, count(*) AS total, count(*) FILTER (WHERE NOT is_read) AS unread
          FROM old_rows WHERE in_app GROUP BY member_id) AS d
    WHERE c.member_id = d.member_id;
    RETURN NULL;
END $$;

CREATE FUNCTION notification_counts_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Most updates (delivery bookkeeping) change neither owner nor read state: nothing to do.
    INSERT INTO {COUNTS} AS c (member_id, total, unread)
    SELECT member_id, sum(total), sum(unread) FROM (
        SELECT n.member_id, 1 AS total, (NOT n.is_read)::int AS unread FROM new_rows n WHERE n.in_app
        UNION ALL
        SELECT o.member_id, -1, -(NOT o.is_read)::int FROM old_rows o WHERE o.in_app
    ) AS delta
    GROUP BY member_id HAVING sum(total) <> 0 OR sum(unread) <> 0
    ON CONFLICT (member_id) DO UPDATE SET total = c.total + EXCLUDED.total, unread = c.unread + EXCLUDED.unread;
    RETURN NULL;
END $$;

CREATE FUNCTION notification_counts_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {COUNTS};
    RETURN NULL;
END $$;

CREATE TRIGGER notification_counts_insert AFTER INSERT ON {ROWS}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION notification_counts_add();
CREATE TRIGGER notification_counts_delete AFTER DELETE ON {ROWS}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION notification_counts_remove();
CREATE TRIGGER notification_counts_update AFTER UPDATE ON {ROWS}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION notification_counts_change();
CREATE TRIGGER notification_counts_truncate AFTER TRUNCATE ON {ROWS}
    FOR EACH STATEMENT EXECUTE FUNCTION notification_counts_clear();
"""

POSTGRESQL_DROP = f"""
DROP TRIGGER IF EXISTS notification_counts_insert ON {ROWS};
DROP TRIGGER IF EXISTS notification_counts_delete ON {ROWS};
DROP TRIGGER IF EXISTS notification_counts_update ON {ROWS};
DROP TRIGGER IF EXISTS notification_counts_truncate ON {ROWS};
DROP FUNCTION IF EXISTS notification_counts_add();
DROP FUNCTION IF EXISTS notification_counts_remove();
DROP FUNCTION IF EXISTS notification_counts_change();
DROP FUNCTION IF EXISTS notification_counts_clear();
"""

_SQLITE_ADD = f"""INSERT INTO {COUNTS} (member_id, total, unread) SELECT NEW.member_id, 1, NOT NEW.is_read
        WHERE NEW.in_app ON CONFLICT (member_id) DO UPDATE SET total = total + 1, unread = unread + excluded.unread;"""
_SQLITE_REMOVE = f"""UPDATE {COUNTS} SET total = total - 1, unread = unread - (NOT OLD.is_read)
        WHERE member_id = OLD.member_id AND OLD.in_app;"""

SQLITE = [
    f"CREATE TRIGGER notification_counts_insert AFTER INSERT ON {ROWS} BEGIN {_SQLITE_ADD} END",
    f"CREATE TRIGGER notification_counts_delete AFTER DELETE ON {ROWS} BEGIN {_SQLITE_REMOVE} END",
    f"CREATE TRIGGER notification_counts_update AFTER UPDATE OF member_id, is_read, in_app ON {ROWS} "
    f"BEGIN {_SQLITE_REMOVE} {_SQLITE_ADD} END",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS notification_counts_insert",
    "DROP TRIGGER IF EXISTS notification_counts_delete",
    "DROP TRIGGER IF EXISTS notification_counts_update",
]

BACKFILL = f"""
INSERT INTO {COUNTS} (member_id, total, unread)
SELECT member_id, count(*), sum(CASE WHEN is_read THEN 0 ELSE 1 END) FROM {ROWS} WHERE in_app
GROUP BY member_id
"""


def _statements(schema_editor, postgresql, sqlite):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        return [postgresql]
    if vendor == "sqlite":
        return sqlite
    raise NotImplementedError(f"notification counts have no triggers for {vendor}")


def install(apps, schema_editor):
    for statement in _statements(schema_editor, POSTGRESQL, SQLITE):
        schema_editor.execute(statement)
    schema_editor.execute(BACKFILL)


def uninstall(apps, schema_editor):
    for statement in _statements(schema_editor, POSTGRESQL_DROP, SQLITE_DROP):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0005_notification_in_app_and_digest"),
    ]

    operations = [
        migrations.CreateModel(
            name="NotificationCount",
            fields=[
                ("member_id", models.PositiveBigIntegerField(primary_key=True, serialize=False)),
                ("total", models.BigIntegerField(default=0)),
                ("unread", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]
