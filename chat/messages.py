"""What a chat message says: the notification's title, one short paragraph, its Pioneer link.

The words come from notifications.presentation and the kinds table, like the email's: the
title is the email's subject, the paragraph the kind's detail or the post's excerpt (else
the feed's one line), the link the email's button.
"""

from __future__ import annotations

import re

from chat.sending import ChatMessage
from notifications.presentation import (
    data_part,
    fill,
    notification_link,
    notification_message,
    notification_subject,
    settings_link,
)
from subscriptions.kinds import kind_get

PARAGRAPH_MAX_LENGTH = 300
# Characters that Markdown (and Discord's, Slack's, Telegram's flavours) read as markup inside
# a line; a paragraph here is one line, so only its first character can start a block.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>~|])")
_MARKDOWN_BLOCK_START = ("#", ">", "-", "+", "=")


def mentions_neutralized(text: str) -> str:
    """Member-written text must not ping a whole Discord or Slack channel."""
    for mention in ("@everyone", "@here", "@channel"):
        text = text.replace(mention, "@\u200b" + mention[1:])
    return text


def markdown_escape(text: str) -> str:
    """Member-written text shown as typed, never as links, mentions or formatting."""
    text = _MARKDOWN_INLINE.sub(r"\\\1", mentions_neutralized(text))
    return "\\" + text if text.startswith(_MARKDOWN_BLOCK_START) else text


def _short(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= PARAGRAPH_MAX_LENGTH else text[: PARAGRAPH_MAX_LENGTH - 1].rstrip() + "…"


def chat_message_for(kind: str, data: dict) -> ChatMessage:
    spec = kind_get(kind)
    detail = fill(spec.detail, data) if spec and spec.detail else ""
    excerpt = str(data_part(data, "post").get("excerpt") or "")
    paragraph = _short(detail or excerpt or notification_message(kind, data))
    link = notification_link(kind, data)
    return ChatMessage(
        title=mentions_neutralized(_short(notification_subject(kind, data))),
        body=f"{markdown_escape(paragraph)}\n\n[Open in Pioneer]({link})",
    )


def duration_text(seconds: int) -> str:
    """3600 -> "1 hour", 5400 -> "90 minutes", 45 -> "45 seconds"."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def confirmation_message(code: str, *, valid_seconds: int) -> ChatMessage:
    return ChatMessage(
        title="Pioneer: confirm this chat channel",
        body=(
            f"Your confirmation code is **{code}**, valid for {duration_text(valid_seconds)}. Enter it "
            "in Pioneer's notification settings to receive your notifications here. If you did not "
            "ask for this, ignore this message: "
            f"nothing more will be sent.\n\n[Pioneer settings]({settings_link()})"
        ),
    )


def channel_test_message() -> ChatMessage:
    return ChatMessage(
        title="Pioneer Notify: test message",
        body="This channel is reachable: Pioneer Notify can post here.",
    )
