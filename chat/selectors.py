"""Reads of chat channels, scoped to their member."""

from __future__ import annotations

from django.db.models import QuerySet

from chat.models import ChatChannel
from members.models import Member


def chat_channels_for_member(*, member: Member) -> QuerySet[ChatChannel]:
    """The member's channels, oldest first; the encrypted URL is never read here."""
    return ChatChannel.objects.filter(member=member).defer("url_encrypted", "code_hash").order_by("id")
