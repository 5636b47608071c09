from django.db import models


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
