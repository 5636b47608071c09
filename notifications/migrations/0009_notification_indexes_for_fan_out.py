"""Two indexes fewer to write per fanned-out notification: none of its own for `member` (the
unique (member, event_id) and the feed index both lead with it), and the provider's message id
indexed only where there is one (a partial index; no LIKE index: webhooks match it exactly).

On SQLite, altering a field copies the table, and the copy loses the feed-count triggers on it
(0008's): they are dropped first and made again after, either way.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models


def _counts():
    return importlib.import_module("notifications.migrations.0008_notification_count_version")


def sqlite_unhook(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in importlib.import_module("notifications.migrations.0006_notification_counts").SQLITE_DROP:
            schema_editor.execute(statement)


def sqlite_rehook(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in _counts().SQLITE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_verification_email"),
        ("notifications", "0008_notification_count_version"),
    ]

    operations = [
        migrations.RunPython(sqlite_unhook, sqlite_rehook),
        migrations.AlterField(
            model_name="notification",
            name="member",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notifications",
                to="members.member",
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="provider_message_id",
            field=models.CharField(
                blank=True,
                help_text="The provider's id for the sent email; its webhook events name it",
                max_length=255,
                null=True,
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("provider_message_id__isnull", False)),
                fields=["provider_message_id"],
                name="notification_provider_id",
            ),
        ),
        migrations.RunPython(sqlite_rehook, sqlite_unhook),
    ]
