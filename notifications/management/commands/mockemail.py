"""`manage.py mockemail ADDRESS [KIND]` or `mockemail ADDRESS --digest daily|weekly`: a sample
notification email, or a sample digest, through the real provider."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from notifications.digest_samples import DIGEST_SAMPLE_FREQUENCIES, sample_digest_render
from notifications.emails import email_message_build
from notifications.samples import sample_email_render
from notifications.sending import EmailSendError, email_send
from subscriptions.kinds import NotificationKind

DEFAULT_KIND = "FORUM_POST_MENTION"


class Command(BaseCommand):
    help = (
        f"Send a sample email of KIND (default {DEFAULT_KIND}), or with --digest a sample daily or "
        "weekly digest, to ADDRESS via the configured provider."
    )

    def add_arguments(self, parser):
        parser.add_argument("address", help="Where to send the sample")
        parser.add_argument("kind", nargs="?", help=f"A notification kind (default {DEFAULT_KIND})")
        parser.add_argument(
            "--digest",
            choices=sorted(DIGEST_SAMPLE_FREQUENCIES),
            help="Send a sample digest of this frequency instead of one notification",
        )

    def handle(self, *args, address: str, kind: str | None, digest: str | None, **options):
        try:
            validate_email(address)
        except ValidationError:
            raise CommandError(f"{address!r} is not a valid email address") from None
        if digest and kind:
            raise CommandError("give a KIND or --digest, not both")
        if digest:
            rendered, sample = sample_digest_render(DIGEST_SAMPLE_FREQUENCIES[digest]), f"{digest} digest"
        else:
            kind = (kind or DEFAULT_KIND).strip().upper()
            if kind not in NotificationKind.values:
                raise CommandError(f"unknown kind {kind!r}; use one of: {', '.join(NotificationKind.values)}")
            rendered, sample = sample_email_render(kind), kind
        message = email_message_build(rendered=rendered, to=address)
        try:
            email_send(message)
        except EmailSendError as error:  # one readable line instead of a traceback
            raise CommandError(f"sending failed: {error}") from None
        self.stdout.write(f"Sent a {sample} sample to {address} via {settings.EMAIL_PROVIDER_NAME}.")
