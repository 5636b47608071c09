"""The lease of a notification email claimed for delivery (Notification.claimed_until).

A batch of emails is claimed with one short transaction that sets their lease; each email's
outcome is then stored in its own transaction right after its send, clearing its lease. No
transaction lasts while the provider is called, so a crash leaves only the email in flight in
doubt: the rest of the batch keeps its lease until it expires and is then claimed again.

Every path that picks PENDING emails respects a live lease: the delivery pass and the sweeper
(notifications.delivery.notifications_due), the claim itself (workers, `notify`), digests and
the suppression that marks PENDING emails IGNORED.

Those small transactions are committed without waiting for the disk flush on PostgreSQL
(`synchronous_commit = off` while a batch is delivered, half of each email's database time
when measured). A crash of our process loses nothing: a commit is in PostgreSQL's memory once
it returns. Only a crash of the database server itself may lose the last fraction of a second of
them (three times `wal_writer_delay` at most, 0.6 s by default), and then the emails recorded
in that window are sent again once their lease expires: at-least-once, as for any crash.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Q

logger = logging.getLogger(__name__)


def lease_until(*, now: datetime, emails: int) -> datetime:
    """When the lease of a batch of `emails` claimed at `now` expires: EMAIL_CLAIM_LEASE_SECONDS
    per email, well over each send's timeout, and one more, so that the batch's last email still
    finds a whole allowance left (lease_covers_a_send) when the earlier ones kept to theirs."""
    return now + timedelta(seconds=settings.EMAIL_CLAIM_LEASE_SECONDS * (emails + 1))


def lease_covers_a_send(claimed_until: datetime, now: datetime) -> bool:
    """Whether a lease still has one email's allowance (EMAIL_CLAIM_LEASE_SECONDS) left: checked
    before each send, so no email is sent under a lease that may expire while it is in flight,
    however slow the provider was for the batch's earlier emails."""
    return now + timedelta(seconds=settings.EMAIL_CLAIM_LEASE_SECONDS) <= claimed_until


def unclaimed(now: datetime) -> Q:
    """Rows no delivery holds a lease on at `now` (never claimed, recorded, or expired)."""
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


@contextmanager
def commits_unflushed() -> Iterator[None]:
    """On PostgreSQL, this connection's commits do not wait for the WAL flush inside the block
    (see the module docstring); elsewhere a no-op."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DatabaseError:  # a broken connection is closed by Django; the setting dies with it
            logger.debug("resetting synchronous_commit failed", exc_info=True)
