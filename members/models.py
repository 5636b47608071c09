from django.db import models


class EmailFrequency(models.TextChoices):
    """How a member's notification emails go out (the in-app feed is not affected)."""

    IMMEDIATE = "IMMEDIATE", "One email per notification, as it happens"
    DAILY = "DAILY", "One digest a day of the day's notifications"
    WEEKLY = "WEEKLY", "One digest a week (Mondays) of the week's notifications"
    NEVER = "NEVER", "No notification emails: in-app only"


# The frequencies whose notifications wait for a digest.
DIGEST_FREQUENCIES = (EmailFrequency.DAILY, EmailFrequency.WEEKLY)


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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.id} {self.name}"

    # django-graphql-jwt and login_required-style checks read these, as on a Django user.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False
