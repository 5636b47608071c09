from django.db import models

from subscriptions.kinds import ENTITY_ID_MAX_LENGTH, NotificationKind


class EmailStatus(models.TextChoices):
    PENDING = "PENDING", "Pending"
    SENT = "SENT", "Sent"
    FAILED = "FAILED", "Failed"
    IGNORED = "IGNORED", "Ignored"


class Notification(models.Model):
    """One notification for one member about one query-node event."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=64, choices=NotificationKind.choices)
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
    sent_at = models.DateTimeField(null=True, blank=True)
    is_read = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    in_block = models.PositiveBigIntegerField(default=0, help_text="Block of the event")
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
            models.Index(fields=["email_status", "email_queued_at"], name="notification_delivery"),
            models.Index(fields=["email_status", "next_attempt_at"], name="notification_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.member_id} ({self.event_id})"

    @property
    def display_data(self) -> dict:
        """`data` as the renderers expect it: always a dict, whatever an operator stored."""
        return self.data if isinstance(self.data, dict) else {}
