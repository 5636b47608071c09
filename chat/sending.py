"""The one way a chat message leaves this service: check the target again, send through
Apprise, and turn a failure into a classified error that the email retry rule understands."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import apprise
from apprise import NotifyFormat

from chat.targets import chat_plugin, chat_target_check_address, chat_target_parse, secret_scrub
from notifications.sending import EMAIL_ERROR_MAX_LENGTH, EmailSendError
from pioneer.errors import DomainError


@dataclass(frozen=True)
class ChatMessage:
    title: str
    body: str  # Markdown


class ChatSendError(EmailSendError):
    """A failed chat send, classified like an email's so that notifications.sending's retry
    rule (EMAIL_MAX_RETRY_COUNT, EMAIL_RETRY_BACKOFF_SECONDS) applies to it unchanged. Every
    failure is transient: Apprise reports a refusal (bad token, deleted webhook) and an outage
    alike, so a channel that keeps failing is disabled instead (CHAT_DISABLE_AFTER)."""

    def __init__(self, message: str):
        super().__init__(message[:EMAIL_ERROR_MAX_LENGTH], transient=True)


def chat_send(*, url: str, message: ChatMessage) -> None:
    """Post one message; raises ChatSendError with Apprise's log of the failure (the service's
    answer), any piece of the URL that may be secret removed."""
    try:
        target = chat_target_parse(url)
        # Again before every send: the host may resolve elsewhere than when the channel was added.
        chat_target_check_address(target)
    except DomainError as refusal:
        raise ChatSendError(f"refused: {refusal.message}") from None
    plugin = chat_plugin(target.url)
    if plugin is None:
        raise ChatSendError(f"Apprise cannot use this {target.scheme}:// URL any more")
    with apprise.LogCapture(level=logging.WARNING, fmt="%(levelname)s %(message)s") as captured:
        try:
            sent = plugin.notify(body=message.body, title=message.title, body_format=NotifyFormat.MARKDOWN)
        except Exception as exc:  # a plugin bug or an unexpected network error: recorded, retried
            sent = False
            captured.write(f"{type(exc).__name__}: {exc}\n")
        log = captured.getvalue().strip()
    if not sent:
        raise ChatSendError(secret_scrub(log or "the service did not accept the message", target.url))
