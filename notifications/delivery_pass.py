"""A delivery pass, whatever the emails: notification emails (notifications.delivery) and
verification emails (members.verification_emails) share its outcomes, its summary, its walk
over the due rows in bounded batches under the pass's guard, and the retry bookkeeping of a
failed attempt."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum

from django.db.models import QuerySet
from django.utils import timezone

from notifications.delivery_guard import DeliveryPassGuard
from notifications.models import EmailStatus
from notifications.sending import EmailSendError, email_retry_delay

# The same logger as the notification emails' delivery: operators filter one name for a pass.
logger = logging.getLogger("notifications.delivery")


class DeliveryOutcome(StrEnum):
    SENT = "SENT"
    RETRYING = "RETRYING"  # transient failure, still PENDING, retry_count incremented
    FAILED = "FAILED"
    IGNORED = "IGNORED"  # no verified email or all email turned off at send time
    SKIPPED = "SKIPPED"  # not PENDING any more, or another worker holds it right now


@dataclass(frozen=True)
class DeliverySummary:
    attempted: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    ignored: int = 0
    skipped: int = 0
    stopped: str = ""  # why the pass ended before the last due email (notifications.delivery_guard)


# What each outcome writes to the row.
OUTCOME_FIELDS = {
    DeliveryOutcome.SENT: ("email_status", "sent_at", "next_attempt_at", "provider_message_id"),
    DeliveryOutcome.IGNORED: ("email_status", "last_error"),
    DeliveryOutcome.RETRYING: ("retry_count", "last_error", "next_attempt_at"),
    DeliveryOutcome.FAILED: ("email_status", "last_error", "next_attempt_at"),
}


def email_failure_set(row, error: EmailSendError) -> DeliveryOutcome:
    """The retry bookkeeping of a failed attempt, set on any row that keeps it (a notification, a
    verification email: email_status, retry_count, last_error, next_attempt_at) but not saved: a
    retry at the backoff's time, or FAILED for good."""
    row.last_error = str(error)
    delay = email_retry_delay(error, retries_so_far=row.retry_count)
    if delay is not None:
        row.retry_count += 1
        row.next_attempt_at = timezone.now() + timedelta(seconds=delay)
        return DeliveryOutcome.RETRYING
    row.email_status = EmailStatus.FAILED
    row.next_attempt_at = None
    return DeliveryOutcome.FAILED


def email_failure_record(row, error: EmailSendError) -> DeliveryOutcome:
    """email_failure_set, saved: the one-row path (verification emails)."""
    outcome = email_failure_set(row, error)
    row.save(update_fields=list(OUTCOME_FIELDS[outcome]))
    return outcome


_SUMMARY_FIELDS = {
    DeliveryOutcome.SENT: "sent",
    DeliveryOutcome.RETRYING: "retrying",
    DeliveryOutcome.FAILED: "failed",
    DeliveryOutcome.IGNORED: "ignored",
    DeliveryOutcome.SKIPPED: "skipped",
}


# Outcomes where the provider was called (IGNORED and SKIPPED make no attempt).
_ATTEMPTS = frozenset({DeliveryOutcome.SENT, DeliveryOutcome.RETRYING, DeliveryOutcome.FAILED})


def delivery_summary_add(summary: DeliverySummary, outcome: DeliveryOutcome) -> DeliverySummary:
    field = _SUMMARY_FIELDS[outcome]
    attempted = summary.attempted + (outcome in _ATTEMPTS)
    return replace(summary, attempted=attempted, **{field: getattr(summary, field) + 1})


# A batch of ids and the pass's guard -> the outcome of each id decided, and why the guard
# stopped the batch (the ids after that point have no outcome and are left as they were) or None.
BatchDeliver = Callable[[list[int], DeliveryPassGuard], tuple[list[tuple[int, DeliveryOutcome]], str | None]]


def delivery_pass(
    *,
    pending: QuerySet,
    deliver_batch: BatchDeliver,
    batch_size: int,
    guard: DeliveryPassGuard,
    on_progress: Callable[[DeliverySummary], None] | None = None,
) -> DeliverySummary:
    """`deliver_batch(ids, guard)` over every row of `pending` (due emails: notifications,
    verification emails), by id upwards in batches of `batch_size`, up to the highest id
    that exists when the pass starts, so each row gets at most one attempt per pass and the pass
    always ends: after EMAIL_DELIVERY_PASS_BUDGET_SECONDS, or when the provider looks unreachable
    (notifications.delivery_guard), earlier, with `stopped` saying why.
    """
    summary = DeliverySummary()
    last_id = pending.order_by("-id").values_list("id", flat=True).first()
    if last_id is None:
        return summary
    after = 0
    while True:
        batch = list(
            pending.filter(id__gt=after, id__lte=last_id)
            .order_by("id")
            .values_list("id", flat=True)[:batch_size]
        )
        if not batch:
            return summary
        outcomes, stopped = deliver_batch(batch, guard)
        for _, outcome in outcomes:
            summary = delivery_summary_add(summary, outcome)
        if stopped is not None:
            return replace(summary, stopped=stopped)
        after = batch[-1]
        if on_progress is not None:
            on_progress(summary)


def per_row(deliver: Callable[[int, Callable[[EmailSendError], None]], DeliveryOutcome]) -> BatchDeliver:
    """A BatchDeliver from `deliver(id, on_send_error)`, one attempt of one row in its own
    transaction (verification emails): the guard is asked before each row and hears of each
    attempt."""

    def deliver_batch(ids: list[int], guard: DeliveryPassGuard):
        outcomes = []
        for row_id in ids:
            # --- hardening: the pass's time budget and circuit breaker
            stopped = guard.stop_reason()
            if stopped is not None:
                logger.warning("Delivery pass %s", stopped)
                return outcomes, stopped
            outcome = deliver(row_id, guard.send_failed)
            if outcome == DeliveryOutcome.SENT:
                guard.sent()
            # --- end hardening
            outcomes.append((row_id, outcome))
        return outcomes, None

    return deliver_batch
