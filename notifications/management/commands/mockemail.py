"""`manage.py mockemail ADDRESS [KIND]`: a sample notification email through the real provider."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from notifications.emails import email_message_build
from notifications.samples import sample_email_render
from notifications.sending import EmailSendError, email_send
from subscriptions.kinds import NotificationKind


class Command(BaseCommand):
    help = "Send a sample email of KIND (default FORUM_POST_MENTION) to ADDRESS via the configured provider."

    def add_arguments(self, parser):
        parser.add_argument("address", help="Where to send the sample")
        parser.add_argument("kind", nargs="?", default="FORUM_POST_MENTION", help="A notification kind")

    def handle(self, *args, address: str, kind: str, **options):
        try:
            validate_email(address)
        except ValidationError:
            raise CommandError(f"{address!r} is not a valid email address") from None
        kind = kind.strip().upper()
        if kind not in NotificationKind.values:
            raise CommandError(f"unknown kind {kind!r}; use one of: {', '.join(NotificationKind.values)}")
        message = email_message_build(rendered=sample_email_render(kind), to=address)
        try:
            email_send(message)
        except EmailSendError as error:  # one readable line instead of a traceback
            raise CommandError(f"sending failed: {error}") from None
        self.stdout.write(f"Sent a {kind} sample to {address} via {settings.EMAIL_PROVIDER_NAME}.")
