"""The lease of a notification email claimed for delivery (Notification.claimed_until).

A batch of emails is claimed with one short transaction that sets their lease; each email's
outcome is then stored in its own transaction right after its send, clearing its lease. No
transaction lasts while the provider is called, so a crash leaves only the email in flight in
doubt: the rest of the batch keeps its lease until it expires and is then claimed again.

Every path that picks PENDING emails respects a live lease: the delivery pass and the sweeper
(notifications.delivery.notifications_due), the claim itself (workers, `notify`), digests and
the suppression that marks PENDING emails IGNORED.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q


def lease_until(*, now: datetime, emails: int) -> datetime:
    """When the lease of a batch of `emails` claimed at `now` expires: EMAIL_CLAIM_LEASE_SECONDS
    per email, well over each send's timeout, so that its sender never outlives it."""
    return now + timedelta(seconds=settings.EMAIL_CLAIM_LEASE_SECONDS * emails)


def unclaimed(now: datetime) -> Q:
    """Rows no delivery holds a lease on at `now` (never claimed, recorded, or expired)."""
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
