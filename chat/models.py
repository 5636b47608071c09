"""Chat channels (Apprise URLs, stored encrypted) and one delivery row per message to send.

A member's `ChatChannel` gets one `ChatDelivery` per notification; an operator's
`CommunityChannel` gets one `CommunityPost` per query-node event of the kinds it carries.
Each row holds its own delivery state, so "exactly once per notification (or event) and
channel" comes from the unique constraints and the row locks of chat.delivery.
"""

from django.db import models

from subscriptions.kinds import KindField


class ChannelStatus(models.TextChoices):
    PENDING = "PENDING", "Waiting for its confirmation code"
    ACTIVE = "ACTIVE", "Active"
    DISABLED = "DISABLED", "Disabled after failing sends"


class DeliveryStatus(models.TextChoices):
    PENDING = "PENDING", "Pending"
    SENT = "SENT", "Sent"
    FAILED = "FAILED", "Failed"


class ChannelBase(models.Model):
    """An Apprise URL (encrypted: it carries the service's token) and its health."""

    label = models.CharField(max_length=64)
    url_encrypted = models.TextField(help_text="The Apprise URL, Fernet-encrypted (chat.secrets)")
    target = models.CharField(max_length=255, help_text="Scheme and host only: safe to show")
    status = models.CharField(max_length=16, choices=ChannelStatus.choices, default=ChannelStatus.PENDING)
    consecutive_failures = models.PositiveIntegerField(
        default=0, help_text="Failed sends in a row, retries included; a success resets it"
    )
    last_error = models.TextField(blank=True, default="", help_text="Apprise's log of the last failure")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.label} ({self.target})"


class ChatChannel(ChannelBase):
    """A member's own chat target: delivers nothing until the member confirms its code, which
    expires CHAT_CONFIRMATION_TTL_SECONDS after `created_at` (chat.services)."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="chat_channels")
    code_hash = models.CharField(
        max_length=128, blank=True, default="", help_text="HMAC of the confirmation code, until confirmed"
    )
    wrong_codes = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["member", "status"], name="chat_channel_member_status")]


class CommunityChannel(ChannelBase):
    """A public channel an operator feeds with the events of some kinds whose audience is everyone."""

    # An operator's channel needs no confirmation: it starts active.
    status = models.CharField(max_length=16, choices=ChannelStatus.choices, default=ChannelStatus.ACTIVE)
    kinds = models.JSONField(default=list, blank=True, help_text="Names of the kinds it carries")

    class Meta:
        ordering = ["id"]


class DeliveryBase(models.Model):
    """The bookkeeping of one message, as on a notification's email (docs/api-contract.md, "Email")."""

    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    retry_count = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    queued_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a delivery task was last queued (the sweeper re-queues lost ones)",
    )
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="After a failure: no attempt before this time (exponential backoff)"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class ChatDelivery(DeliveryBase):
    notification = models.ForeignKey(
        "notifications.Notification", on_delete=models.CASCADE, related_name="chat_deliveries"
    )
    channel = models.ForeignKey(ChatChannel, on_delete=models.CASCADE, related_name="deliveries")

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "chat deliveries"
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="chat_delivery_unique"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="chat_delivery_due")]

    def __str__(self) -> str:
        return f"notification {self.notification_id} → channel {self.channel_id}: {self.status}"


class CommunityPost(DeliveryBase):
    channel = models.ForeignKey(CommunityChannel, on_delete=models.CASCADE, related_name="posts")
    event_id = models.CharField(max_length=255, help_text="Query-node event id")
    kind = KindField()
    in_block = models.PositiveBigIntegerField(default=0)
    data = models.JSONField(
        default=dict, blank=True, help_text="The event's display data, as on notifications"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "event_id"], name="community_post_unique"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="community_post_due")]

    def __str__(self) -> str:
        return f"{self.kind} {self.event_id} → community channel {self.channel_id}: {self.status}"

    @property
    def display_data(self) -> dict:
        return self.data if isinstance(self.data, dict) else {}
