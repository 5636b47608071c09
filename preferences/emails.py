"""The email that carries a fresh link to the preferences page."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from members.models import Member
from notifications.emails import email_render_template, layout_context
from notifications.sending import email_send
from preferences.tokens import preferences_url

PREFERENCES_LINK_TEMPLATE = "emails/preferences_link"


def preferences_link_email_context(*, member: Member, email: str) -> dict:
    link = preferences_url(member_id=member.id, email=email)
    return {
        **layout_context(member_name=member.name, preferences_url=link),
        "ttl_days": settings.PREFERENCES_LINK_DAYS,
        "heading": "Your notification settings",
        "eyebrow": "Notifications",
        "preheader": "Choose what Pioneer tells you about, in the app and by email.",
        "cta_url": link,
        "cta_label": "Manage notification settings",
    }


def preferences_link_email_send(*, member: Member, email: str) -> None:
    """Send through the one email path; raises notifications.sending.EmailSendError, classified."""
    context = preferences_link_email_context(member=member, email=email)
    rendered = email_render_template(template=PREFERENCES_LINK_TEMPLATE, context=context)
    message = EmailMultiAlternatives(subject=rendered.subject, body=rendered.text, to=[email])
    message.attach_alternative(rendered.html, "text/html")
    email_send(message)
