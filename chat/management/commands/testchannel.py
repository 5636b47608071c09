"""`manage.py testchannel <url>`: post a test message through an Apprise URL, print the outcome."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from chat.messages import channel_test_message
from chat.sending import ChatSendError, chat_send
from chat.targets import chat_target_check_address, chat_target_parse
from pioneer.errors import DomainError


class Command(BaseCommand):
    help = (
        "Send one test message through an Apprise URL (discord://, tgram://, slack://, matrixs://...) "
        "under the same rules as members' and community channels (CHAT_SCHEMES, no private "
        "addresses unless CHAT_ALLOW_PRIVATE_TARGETS=1), and print whether the service accepted it. "
        "Exits 1 when the URL is refused or the send fails. The URL's token is never printed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("url", help="The Apprise URL to test (quote it in the shell)")

    def handle(self, *args, url: str, **options) -> None:
        try:
            target = chat_target_parse(url)
            chat_target_check_address(target)
        except DomainError as refusal:
            raise CommandError(f"refused: {refusal.message}") from None
        try:
            chat_send(url=target.url, message=channel_test_message())
        except ChatSendError as error:
            raise CommandError(f"{target.masked}: not sent: {error}") from None
        self.stdout.write(self.style.SUCCESS(f"{target.masked}: sent"))
