"""The one email a member gets when one of their chat channels is disabled."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from chat.models import ChatChannel
from notifications.emails import email_render_template, layout_context
from notifications.presentation import settings_link
from notifications.sending import EmailSendError, email_send

logger = logging.getLogger(__name__)

TEMPLATE = "emails/chat_channel_disabled"


def channel_disabled_email_context(*, channel: ChatChannel) -> dict:
    return {
        **layout_context(member_name=channel.member.name),
        "label": channel.label,
        "target": channel.target,
        "failures": settings.CHAT_DISABLE_AFTER,
        "last_error": channel.last_error,
        "heading": "A chat channel was disabled",
        "eyebrow": "Notifications",
        "preheader": f"Pioneer stopped posting to {channel.label}: it kept failing.",
        "cta_url": settings_link(),
        "cta_label": "Open notification settings",
    }


def channel_disabled_email_send(*, channel_id: int) -> bool:
    """Sent once, by the attempt that disabled the channel; to a verified, deliverable address
    only (it is about the member's settings, so it goes out even with receiveEmails off)."""
    channel = ChatChannel.objects.select_related("member").filter(id=channel_id).first()
    if channel is None or not channel.member.email or not channel.member.email_deliverable:
        return False
    rendered = email_render_template(
        template=TEMPLATE, context=channel_disabled_email_context(channel=channel)
    )
    message = EmailMultiAlternatives(subject=rendered.subject, body=rendered.text, to=[channel.member.email])
    message.attach_alternative(rendered.html, "text/html")
    try:
        email_send(message)
    except EmailSendError as error:
        logger.warning(
            "Chat channel %s disabled: the email to member %s failed: %s",
            channel.id,
            channel.member_id,
            error,
        )
        return False
    return True
