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


class WatchedAccount(models.Model):
    """An account a member wants to hear about besides their membership's own (issue 24): votes
    cast from it count as theirs. Public chain data only: no signature proves the account is theirs."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="watched_accounts")
    # One row per key, whatever SS58 format it was given in.
    public_key = models.CharField(max_length=64, help_text="The account's 32-byte public key, hex")
    address = models.CharField(max_length=64, help_text="The account in Joystream's SS58 format (126)")
    label = models.CharField(max_length=64, blank=True, default="", help_text="Shown instead of the address")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "public_key"], name="watched_account_once_per_member")
        ]
        indexes = [models.Index(fields=["public_key"], name="watched_account_key")]

    def __str__(self) -> str:
        return f"#{self.member_id} {self.label or self.address}"


class VerificationStatus(models.TextChoices):
    PENDING = "PENDING", "Pending"
    SENT = "SENT", "Sent"
    FAILED = "FAILED", "Failed"
    SUPERSEDED = "SUPERSEDED", "Superseded (a newer address was requested, or none is waiting)"


class VerificationEmail(models.Model):
    """One requested verification email, kept until it is sent or final (issue 14): the API's
    own attempt, a worker or the delivery pass of `notify` sends it, with the retry bookkeeping
    of notification emails (docs/api-contract.md, "Retry bookkeeping"). The link's token is made
    when the email is sent: only its base is stored, no secret."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="verification_emails")
    email = models.EmailField(max_length=254, help_text="The address to verify, where the link goes")
    link_base = models.CharField(max_length=2000, help_text="Where the link points (the Pioneer asked from)")
    email_status = models.CharField(
        max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.PENDING
    )
    retry_count = models.PositiveIntegerField(default=0, help_text="Failed delivery attempts so far")
    last_error = models.TextField(blank=True, default="", help_text="Why the last delivery attempt failed")
    email_queued_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a worker task was last queued (the sweeper requeues lost ones)",
    )
    next_attempt_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="After a transient failure: no delivery attempt before this time (exponential backoff)",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["email_status", "next_attempt_at"], name="verification_email_due")]

    def __str__(self) -> str:
        return f"verification of member #{self.member_id} ({self.email_status})"


class RateLimitWindow(models.Model):
    """How often one key used one rate-limited action in its current window, when the limits
    count in the database (no Redis cache; pioneer/rate_limit_windows.py). One row per limit
    and key, the key hashed: no address or id is stored."""

    bucket = models.CharField(
        max_length=64, primary_key=True, help_text="sha256 of the limit's group and key"
    )
    window_end = models.BigIntegerField(help_text="Unix time at which the current window ends")
    count = models.PositiveIntegerField(default=0, help_text="Uses in the current window")

    class Meta:
        indexes = [models.Index(fields=["window_end"], name="rate_limit_window_end")]

    def __str__(self) -> str:
        return f"{self.bucket[:12]}…: {self.count} until {self.window_end}"
