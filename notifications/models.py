from django.db import models

from members.models import EmailFrequency
from subscriptions.kinds import ENTITY_ID_MAX_LENGTH, KindField


class EmailStatus(models.TextChoices):
    PENDING = "PENDING", "Pending"
    SENT = "SENT", "Sent"
    FAILED = "FAILED", "Failed"
    IGNORED = "IGNORED", "Ignored"


class Notification(models.Model):
    """One notification for one member about one query-node event."""

    # No index of its own: the unique (member, event_id) and the feed index both lead with it,
    # and every index is written once per fanned-out row.
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    kind = KindField()
    event_id = models.CharField(max_length=255, help_text="Query-node event id")
    entity_id = models.CharField(max_length=ENTITY_ID_MAX_LENGTH, null=True, blank=True)
    email_status = models.CharField(max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    retry_count = models.PositiveIntegerField(default=0, help_text="Failed delivery attempts so far")
    last_error = models.TextField(blank=True, default="", help_text="Why the last delivery attempt failed")
    email_queued_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a delivery task was last queued (the sweeper re-queues lost ones)",
    )
    next_attempt_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="After a transient failure: no delivery attempt before this time (exponential backoff)",
    )
    claimed_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A delivery claimed this email until then (notifications.delivery_lease); "
        "no other may send it before",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    is_read = models.BooleanField(default=False)
    in_app = models.BooleanField(
        default=True,
        help_text="Shown in the member's feed; off when the member wants this kind by email only",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    in_block = models.PositiveBigIntegerField(default=0, help_text="Block of the event")
    # --- Deliverability (notifications/tracking.py): what the provider reported about this email.
    provider_message_id = models.CharField(
        max_length=255,
        null=True,
        blank=True,
        help_text="The provider's id for the sent email; its webhook events name it",
    )
    delivered_at = models.DateTimeField(null=True, blank=True, help_text="Accepted by the recipient's server")
    opened_at = models.DateTimeField(null=True, blank=True, help_text="First open the provider saw")
    clicked_at = models.DateTimeField(null=True, blank=True, help_text="First link click the provider saw")
    # --- end deliverability
    data = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the email and the feed display (titles, handles, ids), captured at ingest",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "event_id"], name="notification_unique_member_event"),
        ]
        indexes = [
            models.Index(fields=["member", "-created_at", "-id"], name="notification_feed"),
            # Delivery, its sweeper and the digests look for PENDING rows only; most rows are
            # not (members without email, sent ones), so they add no entry and the index stays
            # as small as the backlog instead of growing with the table.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(email_status=EmailStatus.PENDING),
                name="notification_pending",
            ),
            # Webhooks find an email by its provider id (exact match): only sent emails have one,
            # so a new row adds no entry (and no LIKE index is needed).
            models.Index(
                fields=["provider_message_id"],
                condition=models.Q(provider_message_id__isnull=False),
                name="notification_provider_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.member_id} ({self.event_id})"

    @property
    def display_data(self) -> dict:
        """`data` as the renderers expect it: always a dict, whatever an operator stored."""
        return self.data if isinstance(self.data, dict) else {}


class Digest(models.Model):
    """One digest email sent to one member: the record that stops a second one in the same period.

    A scheduled digest (beat) is unique per (member, frequency, period): two beat instances,
    or a task delivered twice, cannot both send it. An on-demand one (`senddigests`) is recorded
    but not unique: it sends whatever is pending now, and the row locks on the notifications
    keep each notification in one digest only.
    """

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="digests")
    frequency = models.CharField(max_length=16, choices=EmailFrequency.choices)
    period_start = models.DateField(help_text="First day (UTC) of the day or week the digest closes")
    scheduled = models.BooleanField(default=True, help_text="Sent by beat (off: by `senddigests`)")
    notification_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "frequency", "period_start"],
                condition=models.Q(scheduled=True),
                name="digest_once_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.frequency} digest for {self.member_id} ({self.period_start})"


class EmailEvent(models.Model):
    """One event the email provider's tracking webhook reported (bounce, delivery, open...).

    Kept as the history an operator reads in the admin, and as the record that makes a
    replayed webhook a no-op (one row per provider event).
    """

    esp_name = models.CharField(max_length=32, help_text="Provider whose webhook reported it")
    event_key = models.CharField(
        max_length=255, help_text="The provider's event id (a digest of the event when it has none)"
    )
    event_type = models.CharField(max_length=32, help_text="Anymail's normalized event type")
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="email_events"
    )
    message_id = models.CharField(max_length=255, blank=True, default="")
    recipient = models.CharField(max_length=254, blank=True, default="", help_text="Lower-cased address")
    occurred_at = models.DateTimeField(help_text="When the provider says it happened")
    received_at = models.DateTimeField(auto_now_add=True)
    description = models.TextField(blank=True, default="", help_text="Reject reason and the server's reply")

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["esp_name", "event_key"], name="email_event_unique_event")
        ]
        indexes = [
            models.Index(fields=["recipient", "event_type", "occurred_at"], name="email_event_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.esp_name} {self.event_type} ({self.occurred_at:%Y-%m-%d %H:%M})"


class NotificationCount(models.Model):
    """How many notifications a member has, and how many are unread: the feed's badge read as one
    row instead of counting the member's rows on every request.

    Only the rows shown in the feed (in_app) count, as in notifications.selectors. Kept by
    database triggers on the notification table (migration 0006), so every writer (the
    ingest's COPY, mark read, the admin, cascading deletes, TRUNCATE) keeps it right without
    knowing it exists. No foreign key: a member's row outlives the member harmlessly (at zero),
    and the triggers never have to order themselves around a member's deletion.

    `version` grows by one on every statement (PostgreSQL) or row (SQLite) that inserts, updates
    or deletes one of the member's feed rows, and never goes back (TRUNCATE zeroes the counts
    and bumps it, migration 0008): the feed cache's key (pioneer/graphql_feed_cache.py).
    """

    member_id = models.PositiveBigIntegerField(primary_key=True)
    total = models.BigIntegerField(default=0)
    unread = models.BigIntegerField(default=0)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"member {self.member_id}: {self.unread} unread of {self.total}"
