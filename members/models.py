from django.db import models


class EmailFrequency(models.TextChoices):
    """How a member's notification emails go out (the in-app feed is not affected)."""

    IMMEDIATE = "IMMEDIATE", "One email per notification, as it happens"
    DAILY = "DAILY", "One digest a day of the day's notifications"
    WEEKLY = "WEEKLY", "One digest a week (Mondays) of the week's notifications"
    NEVER = "NEVER", "No notification emails: in-app only"


# The frequencies whose notifications wait for a digest.
DIGEST_FREQUENCIES = (EmailFrequency.DAILY, EmailFrequency.WEEKLY)


class EmailSuppressionReason(models.TextChoices):
    """Why no more email goes to a member's address (what the provider reported)."""

    BOUNCED = "BOUNCED", "Bounced (hard, or too many soft bounces in a row)"
    COMPLAINED = "COMPLAINED", "Marked as spam by the recipient"
    REJECTED = "REJECTED", "Rejected by the provider"
    UNSUBSCRIBED = "UNSUBSCRIBED", "Unsubscribed at the provider"


class Member(models.Model):
    """A Joystream membership registered with Pioneer Notify.

    The primary key is the on-chain membership id, never generated here.
    """

    id = models.PositiveBigIntegerField(primary_key=True, help_text="Joystream membership id")
    name = models.CharField(max_length=255)
    email = models.EmailField(max_length=254, null=True, blank=True, help_text="Verified email address")
    unverified_email = models.EmailField(
        max_length=254, null=True, blank=True, help_text="Address waiting for its verification link"
    )
    receive_emails = models.BooleanField(default=True, help_text="Off: no email at all, in-app only")
    email_frequency = models.CharField(
        max_length=16,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATE,
        help_text="Notification emails one by one, in a daily or weekly digest, or never",
    )
    # --- Deliverability (notifications/deliverability.py): set from the provider's reports.
    email_suppressed_reason = models.CharField(
        max_length=16,
        choices=EmailSuppressionReason.choices,
        blank=True,
        default="",
        help_text="Set: no email goes to the verified address until a new one is verified or this is lifted",
    )
    email_suppressed_at = models.DateTimeField(null=True, blank=True)
    email_suppressed_detail = models.TextField(
        blank=True, default="", help_text="What the provider said (bounce message, reject reason)"
    )
    email_deliverable_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Address verified or suppression lifted at: provider reports older than this are ignored",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.id} {self.name}"

    @property
    def email_deliverable(self) -> bool:
        return not self.email_suppressed_reason

    # django-graphql-jwt and login_required-style checks read these, as on a Django user.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False
