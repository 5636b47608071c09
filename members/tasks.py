"""Celery tasks of the members app: thin wrappers that reload rows and call a service."""

from __future__ import annotations

import smtplib

from celery import shared_task

from members.emails import verification_email_send
from members.models import Member


# Network and SMTP hiccups are worth another try; anything else is logged by Celery.
@shared_task(
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=30,
    retry_jitter=True,
    max_retries=3,
)
def send_verification_email(*, member_id: int, email: str, link: str) -> None:
    member = Member.objects.filter(pk=member_id).first()
    # A link for an address the member has since replaced or verified is useless.
    if member is None or member.unverified_email != email:
        return
    verification_email_send(member=member, email=email, link=link)
