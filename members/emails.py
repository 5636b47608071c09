"""The email asking a member to confirm their address."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from members.models import Member
from notifications.emails import email_render_template, layout_context
from notifications.sending import email_send
from preferences.tokens import preferences_url

VERIFY_EMAIL_TEMPLATE = "emails/verify_email"


def verification_email_context(*, member: Member, email: str, link: str) -> dict:
    """JSON-safe context of the templates emails/verify_email.{subject.txt,txt,html}."""
    return {
        # The shared notification layout (header, footer links); no unsubscribe: it is not a notification.
        # The preferences link is bound to the address being verified, where this email goes.
        **layout_context(
            member_name=member.name, preferences_url=preferences_url(member_id=member.id, email=email)
        ),
        "member_id": member.id,
        "member_name": member.name,
        "email": email,
        "verification_link": link,
        "ttl_days": settings.EMAIL_VERIFICATION_TTL_DAYS,
        "heading": "Confirm your email address",
        "eyebrow": "Notifications",
        "preheader": "One click and Pioneer can send your notifications to this address.",
        "cta_url": link,
        "cta_label": "Confirm email address",
    }


def verification_email_render(*, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of the verification email."""
    rendered = email_render_template(template=VERIFY_EMAIL_TEMPLATE, context=context)
    return rendered.subject, rendered.text, rendered.html


def verification_email_send(*, member: Member, email: str, link: str, timeout: float | None = None) -> None:
    """Send through the one email path; raises notifications.sending.EmailSendError, classified.
    `timeout` bounds the provider call (SMTP's socket timeout, an ESP's HTTP request timeout)."""
    context = verification_email_context(member=member, email=email, link=link)
    subject, text, html = verification_email_render(context=context)
    connection = None if timeout is None else get_connection(timeout=timeout, requests_timeout=timeout)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[email], connection=connection)
    message.attach_alternative(html, "text/html")
    email_send(message)
