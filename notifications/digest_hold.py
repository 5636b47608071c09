"""Which PENDING emails wait for a digest instead of going out one by one.

A member on a DAILY or WEEKLY email frequency gets their notification emails in that digest
(notifications.digests), except for the kinds the table marks `immediate`: those are only
useful now, so they go out at once whatever the frequency. One-by-one delivery (the hand-off,
the sweeper, `notify`'s pass and the send itself) leaves the held rows alone.
"""

from __future__ import annotations

from django.db.models import Q

from members.models import DIGEST_FREQUENCIES, EmailFrequency, Member
from subscriptions.kinds import immediate_kinds


def held_for_digest() -> Q:
    """Notifications (filter or exclude on Notification) that a digest will send."""
    return Q(member__email_frequency__in=DIGEST_FREQUENCIES) & ~Q(kind__in=sorted(immediate_kinds()))


def emails_never(member: Member) -> bool:
    """The member asked for in-app notifications only: no notification email at all."""
    return member.email_frequency == EmailFrequency.NEVER
