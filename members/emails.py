"""The email asking a member to confirm their address."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from members.models import Member

VERIFY_EMAIL_TEMPLATE = "emails/verify_email"


def verification_email_context(*, member: Member, email: str, link: str) -> dict:
    """JSON-safe context of the templates emails/verify_email.{subject.txt,txt,html}."""
    return {
        "member_id": member.id,
        "member_name": member.name,
        "email": email,
        "verification_link": link,
        "ttl_days": settings.EMAIL_VERIFICATION_TTL_DAYS,
        "pioneer_url": settings.PIONEER_URL,
        "settings_url": f"{settings.PIONEER_URL}/#/settings",
    }


def verification_email_render(*, context: dict) -> tuple[str, str, str]:
    """(subject, text, html) of the verification email."""
    subject = render_to_string(f"{VERIFY_EMAIL_TEMPLATE}.subject.txt", context)
    # One line only: a newline in a subject is a header injection to the mail library.
    subject = " ".join(subject.split())
    text = render_to_string(f"{VERIFY_EMAIL_TEMPLATE}.txt", context)
    html = render_to_string(f"{VERIFY_EMAIL_TEMPLATE}.html", context)
    return subject, text, html


def verification_email_send(*, member: Member, email: str, link: str) -> None:
    """Send through the configured provider (Anymail ESP, SMTP or console)."""
    context = verification_email_context(member=member, email=email, link=link)
    subject, text, html = verification_email_render(context=context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[email])
    message.attach_alternative(html, "text/html")
    message.send()
