"""Celery task of the preferences page: a thin wrapper that reloads the member and sends."""

from __future__ import annotations

import logging

from celery import shared_task

from members.models import Member
from notifications.sending import EmailSendError
from preferences.emails import preferences_link_email_send

logger = logging.getLogger(__name__)


@shared_task
def send_preferences_link(*, member_id: int, email: str) -> str:
    member = Member.objects.filter(pk=member_id).first()
    # The address changed since the request: a link for the old one would not work anyway.
    if member is None or member.email != email or not member.email_deliverable:
        return "SKIPPED"
    try:
        preferences_link_email_send(member=member, email=email)
    except EmailSendError as error:
        # No retries: the member is at the page and can ask again.
        logger.warning("Preferences link email for member %s FAILED: %s", member_id, error)
        return "FAILED"
    return "SENT"
