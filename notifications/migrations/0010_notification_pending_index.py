"""One index for delivery instead of two, and only over PENDING rows: every query that used
(email_status, email_queued_at) or (email_status, next_attempt_at) asks for PENDING rows
(delivery's due emails, the sweeper's lost tasks, the digests), so a new notification that is
not PENDING (its member has no email, or wants none) writes neither, and a sent one leaves it.

Adding or removing an index does not copy the table on SQLite, so its count triggers stay.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_verification_email"),
        ("notifications", "0009_notification_indexes_for_fan_out"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="notification", name="notification_delivery"),
        migrations.RemoveIndex(model_name="notification", name="notification_due"),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("email_status", "PENDING")),
                fields=["next_attempt_at"],
                name="notification_pending",
            ),
        ),
    ]
