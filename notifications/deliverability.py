"""Stop emailing addresses that the provider says cannot, or must not, receive mail.

A hard bounce, a rejection, a spam complaint or an unsubscribe at the provider suppresses
the address: every member whose verified email it is gets the reason and time, and their
PENDING emails become IGNORED with that reason (delivery also checks it before each send).
Soft bounces only count: EMAIL_SOFT_BOUNCE_LIMIT emails in a row to the address that
soft-bounced, with no delivery since, suppress it too. In SMTP mode, where no webhook
reports anything, a permanent 5xx refusal of the recipient at send time does the same.

Reports older than the member's latest verification or lift (`email_deliverable_since`)
are stale and change nothing. Lifting lives in members/suppression.py.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime

from anymail.signals import EventType
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Case, F, Max, When
from django.utils import timezone

from members.models import EmailSuppressionReason, Member
from notifications.delivery_lease import unclaimed
from notifications.models import EmailEvent, EmailStatus, Notification

logger = logging.getLogger(__name__)

DETAIL_MAX_LENGTH = 1000


def suppressed_email_reason(reason: str) -> str:
    """The `last_error` of an email left unsent because its address is suppressed."""
    return f"Not sent: the address is suppressed ({reason})"


def email_address_suppress(
    *, address: str, reason: EmailSuppressionReason, detail: str, occurred_at: datetime
) -> list[int]:
    """Suppress `address` for every member whose verified email it is; returns their ids."""
    with transaction.atomic():
        members = [
            member
            for member in Member.objects.select_for_update().filter(email__iexact=address.strip())
            if member.email_deliverable
            and (member.email_deliverable_since is None or occurred_at >= member.email_deliverable_since)
        ]
        member_ids = [member.id for member in members]
        if not member_ids:
            return []
        Member.objects.filter(id__in=member_ids).update(
            email_suppressed_reason=reason,
            email_suppressed_at=occurred_at,
            email_suppressed_detail=detail[:DETAIL_MAX_LENGTH],
            updated_at=timezone.now(),
        )
        # One a delivery holds a lease on is its own: it stores that email's outcome, and if it
        # does not send it, the next claim finds the address suppressed.
        pending = Notification.objects.filter(
            unclaimed(timezone.now()), member_id__in=member_ids, email_status=EmailStatus.PENDING
        )
        ignored = pending.update(email_status=EmailStatus.IGNORED, last_error=suppressed_email_reason(reason))
    # Member ids, never the address: logs are not for personal data.
    logger.warning(
        "Email suppressed (%s) for member(s) %s; %s pending email(s) ignored", reason, member_ids, ignored
    )
    return member_ids


def email_address_soft_bounces_check(*, address: str, occurred_at: datetime, detail: str) -> list[int]:
    """Suppress `address` (BOUNCED) for the members where it soft-bounced EMAIL_SOFT_BOUNCE_LIMIT
    emails in a row. "In a row": distinct emails with a soft bounce since the latest delivery
    to the address (a provider reports one email's retries as several soft bounces)."""
    limit = settings.EMAIL_SOFT_BOUNCE_LIMIT
    if limit <= 0:
        return []
    recipient = address.strip().lower()
    events = EmailEvent.objects.filter(recipient=recipient)
    last_delivered = events.filter(event_type=EventType.DELIVERED).aggregate(at=Max("occurred_at"))["at"]
    suppressed = []
    for member in Member.objects.filter(email__iexact=recipient, email_suppressed_reason=""):
        starts = [at for at in (last_delivered, member.email_deliverable_since) if at is not None]
        soft_bounces = events.filter(event_type=EventType.DEFERRED)
        if starts:
            soft_bounces = soft_bounces.filter(occurred_at__gt=max(starts))
        # An event without a message id stands for an email of its own.
        emails = soft_bounces.annotate(
            email=Case(When(message_id="", then=F("event_key")), default=F("message_id"))
        )
        if emails.values("email").distinct().count() >= limit:
            suppressed += email_address_suppress(
                address=recipient,
                reason=EmailSuppressionReason.BOUNCED,
                detail=f"{limit} emails in a row soft-bounced; last: {detail}",
                occurred_at=occurred_at,
            )
    return suppressed


def _permanent_recipient_refusal(exc: Exception) -> str | None:
    """The server's words when an SMTP server refused the recipient for good (5xx), else None.

    Only the recipient refusal counts: a 5xx for the sender or the content is not the
    address's fault. ESPs report their refusals through the webhook instead.
    """
    if not isinstance(exc, smtplib.SMTPRecipientsRefused) or not exc.recipients:
        return None
    replies = list(exc.recipients.values())
    if not all(isinstance(code, int) and 500 <= code < 600 for code, _ in replies):
        return None
    return "; ".join(
        f"{code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
        for code, message in replies
    )


def email_send_failure_suppress(*, notification: Notification, exc: Exception) -> bool:
    """After a send failed: a permanent SMTP refusal of the recipient suppresses the address.
    True when it does (the rest of a delivery batch leaves that address alone).

    Runs once the delivery's transaction commits, so the row lock it holds is released first
    (two workers suppressing at once must not wait on each other's rows).
    """
    refusal = _permanent_recipient_refusal(exc)
    address = notification.member.email
    if refusal is None or not address:
        return False
    occurred_at = timezone.now()
    transaction.on_commit(
        lambda: email_address_suppress(
            address=address,
            reason=EmailSuppressionReason.BOUNCED,
            detail=f"SMTP refused the recipient: {refusal}",
            occurred_at=occurred_at,
        ),
        robust=True,
    )
    return True


def provider_message_id(message: EmailMessage) -> str | None:
    """The id the provider gave the sent email (Anymail's status), which its webhooks name.

    None for SMTP and the console, which have no webhooks.
    """
    status = getattr(message, "anymail_status", None)
    message_id = getattr(status, "message_id", None)
    # A set means several recipients with their own ids: a notification has one recipient.
    if message_id is None or isinstance(message_id, set):
        return None
    return str(message_id)[:255]
