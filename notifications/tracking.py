"""What the email provider's tracking webhooks report, recorded once per event.

Anymail's webhook views (mounted by notifications/tracking_urls.py) check the basic auth and
the provider's signature, turn each provider's payload into an AnymailTrackingEvent and send
the `tracking` signal; `tracking_event_received` is its receiver (connected in apps.py).

Each event is stored once (unique by provider and event id), so a replayed webhook changes
nothing. It is tied to the notification whose email carried the provider's message id; an
event for an unknown message is kept and logged, and still counts for its address.
Delivered, opened and clicked keep their earliest time on the notification, whatever order
the events arrive in.
"""

from __future__ import annotations

import hashlib
import json
import logging

from anymail.signals import AnymailTrackingEvent, EventType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from members.models import EmailSuppressionReason
from notifications.deliverability import email_address_soft_bounces_check, email_address_suppress
from notifications.models import EmailEvent, Notification

logger = logging.getLogger(__name__)

SUPPRESSING_EVENTS = {
    EventType.BOUNCED: EmailSuppressionReason.BOUNCED,
    EventType.REJECTED: EmailSuppressionReason.REJECTED,
    EventType.COMPLAINED: EmailSuppressionReason.COMPLAINED,
    EventType.UNSUBSCRIBED: EmailSuppressionReason.UNSUBSCRIBED,
}
FIRST_SEEN_FIELDS = {
    EventType.DELIVERED: "delivered_at",
    EventType.OPENED: "opened_at",
    EventType.CLICKED: "clicked_at",
}
_ID_MAX_LENGTH = EmailEvent._meta.get_field("event_key").max_length


def _event_key(event: AnymailTrackingEvent, *, message_id: str, recipient: str) -> str:
    if event.event_id:
        return str(event.event_id)[:_ID_MAX_LENGTH]
    # A provider without event ids: the same report posted again has the same digest.
    parts = [event.event_type, message_id, recipient, event.timestamp and event.timestamp.isoformat()]
    parts.append(event.description or event.mta_response)
    return "sha256:" + hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _description(event: AnymailTrackingEvent) -> str:
    parts = [event.reject_reason, event.description, event.mta_response]
    return " | ".join(str(part) for part in parts if part)


def email_tracking_event_record(*, event: AnymailTrackingEvent, esp_name: str) -> EmailEvent | None:
    """Store one provider event and act on it; returns None for an event already stored."""
    message_id = str(event.message_id or "")[:255]
    recipient = (event.recipient or "").strip().lower()
    occurred_at = event.timestamp or timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.filter(provider_message_id=message_id).order_by("id").first()
            if message_id
            else None
        )
        stored, created = EmailEvent.objects.get_or_create(
            esp_name=esp_name,
            event_key=_event_key(event, message_id=message_id, recipient=recipient),
            defaults={
                "event_type": event.event_type or EventType.UNKNOWN,
                "notification": notification,
                "message_id": message_id,
                "recipient": recipient[:254],
                "occurred_at": occurred_at,
                "description": _description(event),
            },
        )
        if not created:
            logger.info("%s %s event %s again: already recorded", esp_name, event.event_type, stored.id)
            return None
        if notification is None:
            logger.warning(
                "%s %s event %s for a message we do not know (%r): recorded, not tied to a notification",
                esp_name,
                event.event_type,
                stored.id,
                message_id,
            )
        field = FIRST_SEEN_FIELDS.get(event.event_type)
        if notification is not None and field:
            Notification.objects.filter(pk=notification.pk).filter(
                Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gt": occurred_at})
            ).update(**{field: occurred_at})
        reason = SUPPRESSING_EVENTS.get(event.event_type)
        if reason and recipient:
            email_address_suppress(
                address=recipient, reason=reason, detail=stored.description, occurred_at=occurred_at
            )
        elif event.event_type == EventType.DEFERRED and recipient:
            email_address_soft_bounces_check(
                address=recipient, occurred_at=occurred_at, detail=stored.description
            )
    return stored


def tracking_event_received(sender, event: AnymailTrackingEvent, esp_name: str, **kwargs) -> None:
    """Receiver of Anymail's `tracking` signal: one call per event of a webhook post."""
    email_tracking_event_record(event=event, esp_name=esp_name)
