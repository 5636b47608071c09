"""Email delivery of notifications (the email issue fills this in)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DeliverySummary:
    attempted: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def notifications_deliver_pending(
    *, on_progress: Callable[[DeliverySummary], None] | None = None
) -> DeliverySummary:
    """One delivery attempt for every PENDING notification (the foreground pass of `notify`)."""
    return DeliverySummary()
