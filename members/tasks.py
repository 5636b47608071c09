"""Celery tasks of the members app: thin wrappers that reload rows and call a service."""

from __future__ import annotations

import logging

from celery import shared_task

from members.emails import verification_email_send
from members.models import Member
from notifications.sending import RETRY_ETA_MAX_SECONDS, EmailSendError, email_retry_delay

logger = logging.getLogger(__name__)


# max_retries=None: email_retry_delay applies EMAIL_MAX_RETRY_COUNT, the rule notification
# emails follow too. The default acks_late holds a waiting retry unacknowledged in the worker.
@shared_task(bind=True, max_retries=None)
def send_verification_email(
    self, *, member_id: int, email: str, link: str, timeout: float | None = None
) -> str:
    """`timeout`: seconds the provider may take (the API's own attempt); else the configured one."""
    member = Member.objects.filter(pk=member_id).first()
    # A link for an address the member has since replaced or verified is useless.
    if member is None or member.unverified_email != email:
        return "SKIPPED"
    try:
        verification_email_send(member=member, email=email, link=link, timeout=timeout)
    except EmailSendError as error:
        retries = self.request.retries
        delay = email_retry_delay(error, retries_so_far=retries)
        # Inline (no broker) or called by the API with the broker down, a retry would run at
        # once, inside a request: one attempt there; the member can ask for a new link.
        waiting_is_possible = not (self.request.is_eager or self.request.called_directly)
        if delay is None or not waiting_is_possible:
            logger.warning("Verification email for member %s FAILED: %s", member_id, error)
            return "FAILED"
        logger.warning(
            "Verification email for member %s RETRYING in %.1fs (retry %s): %s",
            member_id,
            delay,
            retries + 1,
            error,
        )
        # A wait longer than a worker may hold a task is cut short: a person waits for this link.
        raise self.retry(countdown=min(delay, RETRY_ETA_MAX_SECONDS)) from error
    return "SENT"
