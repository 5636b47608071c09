"""A member's chat channels: add (with a confirmation code sent through the channel),
confirm, remove. The channel's URL is stored encrypted and never returned.

Adding is rate limited (each add sends a message through someone's service): per member and
per target. A code is good for CHAT_CONFIRMATION_TTL_SECONDS from the add and for
WRONG_CODES_MAX tries; past either the PENDING channel is removed and the member adds it again
for a new code.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from chat.messages import confirmation_message
from chat.models import ChannelStatus, ChatChannel
from chat.secrets import url_encrypt
from chat.sending import ChatSendError, chat_send
from chat.targets import ChatTarget, chat_target_check_address, chat_target_parse
from members.models import Member
from pioneer.errors import invalid_input
from pioneer.rate_limits import Spend, rate_limits_spend
from subscriptions.services import has_control_characters

logger = logging.getLogger(__name__)

LABEL_MAX_LENGTH = 64
WRONG_CODES_MAX = 5


def _code_hash(channel_id: int, code: str) -> str:
    return salted_hmac("chat.confirmation", f"{channel_id}:{code}", algorithm="sha256").hexdigest()


def _label_clean(label: object, default: str) -> str:
    if label is None:
        return default[:LABEL_MAX_LENGTH]
    if not isinstance(label, str):
        raise invalid_input("label must be a string")
    label = label.strip()
    if len(label) > LABEL_MAX_LENGTH:
        raise invalid_input(f"label must be at most {LABEL_MAX_LENGTH} characters")
    if has_control_characters(label):
        raise invalid_input("label must not contain control characters")
    return label or default[:LABEL_MAX_LENGTH]


def _code_expired_before() -> datetime:
    """A PENDING channel added before this has an expired code."""
    return timezone.now() - timedelta(seconds=settings.CHAT_CONFIRMATION_TTL_SECONDS)


def expired_pending_channels_remove(*, member: Member | None = None) -> int:
    """Channels whose code expired unconfirmed hold no place among the member's channels: removed
    when their member adds another, and by the chat sweeper (beat) so that none lingers (it holds
    an encrypted target). Returns how many were removed."""
    expired = ChatChannel.objects.filter(status=ChannelStatus.PENDING, created_at__lt=_code_expired_before())
    if member is not None:
        expired = expired.filter(member=member)
    _, removed = expired.delete()
    return removed.get(ChatChannel._meta.label, 0)


def _add_limits_spend(*, member: Member, target: ChatTarget) -> None:
    """RATE_LIMITED past RATE_LIMIT_CHAT_CHANNEL_ADDS_PER_MEMBER or _CONFIRMATIONS_PER_TARGET:
    each add posts a code through a service, which must not become a way to flood a channel."""
    rate_limits_spend(
        Spend(
            group="chat-channel-add-member",
            rate=settings.RATE_LIMIT_CHAT_CHANNEL_ADDS_PER_MEMBER,
            key=str(member.id),
        ),
        Spend(
            group="chat-confirmation-target",
            rate=settings.RATE_LIMIT_CHAT_CONFIRMATIONS_PER_TARGET,
            # The URL holds the service's token: only its digest is used as a key.
            key=hashlib.sha256(target.url.encode()).hexdigest(),
        ),
    )


def _check_room(member: Member) -> None:
    if ChatChannel.objects.filter(member=member).count() >= settings.CHAT_CHANNELS_MAX:
        raise invalid_input(
            f"At most {settings.CHAT_CHANNELS_MAX} chat channels per member: remove one before adding another"
        )


def chat_channel_add(*, member: Member, url: object, label: object = None) -> ChatChannel:
    """Check the URL, send its confirmation code through it, store it PENDING.

    Refused (nothing stored, nothing sent): a URL Apprise cannot use, a scheme not in
    CHAT_SCHEMES, a non-public target, one channel too many (PENDING channels whose code
    expired are removed first), too many adds (RATE_LIMITED). Refused too (nothing stored)
    when the service does not accept the confirmation message: the member could never confirm.
    """
    target = chat_target_parse(url)
    chat_target_check_address(target)
    label = _label_clean(label, default=target.masked)
    expired_pending_channels_remove(member=member)
    _check_room(member)
    _add_limits_spend(member=member, target=target)
    code = f"{secrets.randbelow(10**6):06d}"
    try:
        # Outside any transaction: the service may take seconds to answer.
        chat_send(
            url=target.url,
            message=confirmation_message(code, valid_seconds=settings.CHAT_CONFIRMATION_TTL_SECONDS),
        )
    except ChatSendError as error:
        logger.info(
            "Chat channel %s of member %s refused: confirmation not delivered", target.masked, member.id
        )
        raise invalid_input(
            f"The confirmation message could not be sent to {target.masked}: {error}"
        ) from None
    with transaction.atomic():
        Member.objects.select_for_update().filter(id=member.id).first()  # one add at a time per member
        _check_room(member)
        channel = ChatChannel.objects.create(
            member=member, label=label, url_encrypted=url_encrypt(target.url), target=target.masked
        )
        channel.code_hash = _code_hash(channel.id, code)
        channel.save(update_fields=["code_hash"])
    logger.info(
        "Chat channel %s (%s) added by member %s, waiting for its code", channel.id, target.masked, member.id
    )
    return channel


def _member_channel(member: Member, channel_id: object) -> ChatChannel | None:
    text = str(channel_id).strip() if channel_id is not None else ""
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise invalid_input("id must be the decimal id of one of your chat channels")
    return ChatChannel.objects.select_for_update().filter(member=member, id=int(text)).first()


def chat_channel_confirm(*, member: Member, channel_id: object, code: object) -> ChatChannel:
    """The right code makes the channel ACTIVE; the fifth wrong one, or any code once the
    channel's has expired, removes it."""
    code = code.strip() if isinstance(code, str) else ""
    refusal = None
    with transaction.atomic():
        channel = _member_channel(member, channel_id)
        if channel is None:
            raise invalid_input("No chat channel of yours has this id")
        if channel.status == ChannelStatus.ACTIVE:
            return channel
        if channel.status == ChannelStatus.DISABLED:
            raise invalid_input("This channel was disabled after failing sends: remove it and add it again")
        if channel.created_at < _code_expired_before():
            channel.delete()
            refusal = "This code has expired: the channel was removed; add it again for a new code"
        elif channel.code_hash and constant_time_compare(_code_hash(channel.id, code), channel.code_hash):
            channel.status = ChannelStatus.ACTIVE
            channel.code_hash = ""
            channel.confirmed_at = timezone.now()
            channel.save(update_fields=["status", "code_hash", "confirmed_at"])
            logger.info("Chat channel %s of member %s confirmed", channel.id, member.id)
            return channel
        else:
            refusal = _wrong_code_count(channel)
    # Raised after the commit, so that the count of wrong codes (or the removal) is kept.
    raise invalid_input(refusal)


def _wrong_code_count(channel: ChatChannel) -> str:
    """Count a wrong code (the last allowed one removes the channel); the refusal to show."""
    channel.wrong_codes += 1
    if channel.wrong_codes >= WRONG_CODES_MAX:
        channel.delete()
        return f"Wrong code {WRONG_CODES_MAX} times: the channel was removed; add it again for a new code"
    channel.save(update_fields=["wrong_codes"])
    left = WRONG_CODES_MAX - channel.wrong_codes
    return f"Wrong code: {left} attempt{'s' if left != 1 else ''} left"


def chat_channel_remove(*, member: Member, channel_id: object) -> bool:
    """Remove one of the member's channels and whatever it had still to deliver; False if none."""
    with transaction.atomic():
        channel = _member_channel(member, channel_id)
        if channel is None:
            return False
        channel.delete()
    return True
