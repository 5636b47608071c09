"""Email delivery of notifications: one email per notification, exactly once.

`notification_deliver` is the one place a notification email is sent; the Celery tasks and
`notify`'s foreground pass both call it. Sending, failure classification and backoff are
notifications.sending's, shared with verification emails; the row keeps the bookkeeping
(retry_count, last_error, next_attempt_at) of docs/api-contract.md ("Retry bookkeeping").

Why the row lock is held while the provider is called: the model has no "sending" state,
so the lock is what stops a second worker, a re-delivered task or the sweeper from sending
the same email while this attempt is in flight; `skip_locked` makes them pass by at once
instead of waiting. The lock covers one row and is bounded by the provider timeout
(EMAIL_TIMEOUT for SMTP, Anymail's request timeout for ESPs). If the process dies after
the provider accepted but before the commit, the row is still PENDING and may be sent
again: at-least-once is the best any provider without idempotency keys allows.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils import timezone

from notifications.deliverability import (
    email_send_failure_suppress,
    provider_message_id,
    suppressed_email_reason,
)
from notifications.delivery_guard import DeliveryPassGuard
from notifications.digest_hold import emails_never, held_for_digest, is_held_for_digest
from notifications.emails import RenderedEmail, notification_email_render
from notifications.models import EmailStatus, Notification
from notifications.presentation import watched_entity_id
from notifications.sending import EmailSendError, email_failure_classify, email_retry_delay, email_send
from notifications.unsubscribe import unsubscribe_url
from preferences.tokens import preferences_url
from subscriptions.kinds import is_entity
from subscriptions.models import Subscription

logger = logging.getLogger(__name__)

DELIVERY_BATCH_SIZE = 100


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


def notifications_due(*, now: datetime) -> QuerySet[Notification]:
    """PENDING notifications whose next attempt is due: never tried, or waited out their backoff.
    Those held for a digest are not: the digest sends them (notifications.digest_hold)."""
    return (
        Notification.objects.filter(email_status=EmailStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .exclude(held_for_digest())  # digests
    )


def notification_email_build(*, notification: Notification, connection=None) -> EmailMultiAlternatives:
    member = notification.member
    data = notification.display_data
    rendered: RenderedEmail = notification_email_render(
        kind=notification.kind,
        data=data,
        member_name=member.name,
        # The notification's entity_id is the post; the link must name the watch that matched.
        unsubscribe_url=unsubscribe_url(
            member_id=member.id, kind=notification.kind, entity_id=watched_entity_id(data)
        ),
        # A link bound to the address it is sent to; none for a member without one (a preview).
        preferences_url=preferences_url(member_id=member.id, email=member.email) if member.email else "",
    )
    return email_message_build(rendered=rendered, to=member.email, connection=connection)


def email_message_build(*, rendered: RenderedEmail, to: str, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=rendered.headers,
        connection=connection,
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def email_failure_record(row, error: EmailSendError) -> DeliveryOutcome:
    """The retry bookkeeping of a failed attempt, on any row that keeps it (a notification, a
    verification email: email_status, retry_count, last_error, next_attempt_at): a retry at
    the backoff's time, or FAILED for good."""
    row.last_error = str(error)
    delay = email_retry_delay(error, retries_so_far=row.retry_count)
    if delay is not None:
        row.retry_count += 1
        row.next_attempt_at = timezone.now() + timedelta(seconds=delay)
        row.save(update_fields=["retry_count", "last_error", "next_attempt_at"])
        return DeliveryOutcome.RETRYING
    row.email_status = EmailStatus.FAILED
    row.next_attempt_at = None
    row.save(update_fields=["email_status", "last_error", "next_attempt_at"])
    return DeliveryOutcome.FAILED


def notification_deliver(
    *,
    notification_id: int,
    on_send_error: Callable[[EmailSendError], None] | None = None,
    connection=None,
) -> DeliveryOutcome:
    """One delivery attempt for one notification; safe to call any number of times, concurrently.
    `on_send_error` hears of a failed send (the pass's circuit breaker). `connection`: a provider
    connection (django.core.mail.get_connection()) shared by a batch of attempts, see
    notifications_deliver; without one, the email opens its own.

    Logs one line per attempt that reached a decision: the outcome, the notification and its
    kind, the retry count and the duration. Never the address: logs are not for personal data.
    """
    started = time.monotonic()
    outcome, notification = _notification_deliver_once(notification_id, on_send_error, connection)
    if notification is not None:
        logger.info(
            "Email %s: notification %s (%s), retry count %s, in %.2fs",
            outcome.value,
            notification.id,
            notification.kind,
            notification.retry_count,
            time.monotonic() - started,
        )
    return outcome


def _email_off_annotations() -> dict:
    """Whether the member turned email off for the notification's kind (general kinds) or for
    the watch it came from (entity kinds), read in the same query that locks the row."""
    off = Subscription.objects.filter(
        member_id=OuterRef("member_id"), kind=OuterRef("kind"), should_notify_by_email=False
    )
    watched = KeyTextTransform("id", KeyTransform("watched", OuterRef("data")))
    return {
        "general_email_off": Exists(off.filter(entity_id__isnull=True)),
        "watched_email_off": Exists(off.filter(entity_id=watched)),
    }


def _email_turned_off_since(notification: Notification) -> bool:
    """The member turned email off for this kind (or this watch) after the notification was
    made, e.g. with the unsubscribe link of an earlier email: waiting emails obey it too.
    An entity notification without a watch recorded matches no subscription."""
    if is_entity(notification.kind):
        return notification.watched_email_off
    return notification.general_email_off


def _notification_deliver_once(
    notification_id: int, on_send_error: Callable[[EmailSendError], None] | None = None, connection=None
) -> tuple[DeliveryOutcome, Notification | None]:
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("member")
            .annotate(**_email_off_annotations())
            .filter(id=notification_id)
            .first()
        )
        if notification is None or notification.email_status != EmailStatus.PENDING:
            return DeliveryOutcome.SKIPPED, None
        # Not due (checked under the lock): the worker or `notify` attempted it since this
        # caller chose it; one failure spends one retry, never two.
        if notification.next_attempt_at is not None and notification.next_attempt_at > timezone.now():
            return DeliveryOutcome.SKIPPED, None
        member = notification.member
        # --- digests: a member on a daily or weekly digest gets this one in the digest
        if is_held_for_digest(member=member, kind=notification.kind):
            return DeliveryOutcome.SKIPPED, None
        # --- end digests
        # --- deliverability: a suppressed address gets nothing, and the row says why
        if member.email and not member.email_deliverable:
            notification.email_status = EmailStatus.IGNORED
            notification.last_error = suppressed_email_reason(member.email_suppressed_reason)
            notification.save(update_fields=["email_status", "last_error"])
            return DeliveryOutcome.IGNORED, notification
        # --- end deliverability
        if (
            not member.email
            or not member.receive_emails
            or emails_never(member)  # digests: emailFrequency NEVER
            or _email_turned_off_since(notification)
        ):
            notification.email_status = EmailStatus.IGNORED
            notification.save(update_fields=["email_status"])
            return DeliveryOutcome.IGNORED, notification
        try:
            if connection is not None:
                connection.open()  # a no-op while open; after a failure, a fresh connection
            message = notification_email_build(notification=notification, connection=connection)
            email_send(message)
        except Exception as exc:  # a send failure or a rendering bug: recorded on the row, none is lost
            if connection is not None:
                _connection_drop(connection)
            error = exc if isinstance(exc, EmailSendError) else email_failure_classify(exc)
            outcome = email_failure_record(notification, error)
            if on_send_error is not None:
                on_send_error(error)
            logger.warning("email for notification %s: %s (%s)", notification.id, error, outcome)
            # deliverability: judged on what the provider raised, not on its classification
            provider_exc = exc.__cause__ if isinstance(exc, EmailSendError) and exc.__cause__ else exc
            email_send_failure_suppress(notification=notification, exc=provider_exc)
            return outcome, notification
        notification.email_status = EmailStatus.SENT
        notification.sent_at = timezone.now()
        # deliverability: the provider's webhooks name the email by this id
        notification.provider_message_id = provider_message_id(message)
        notification.next_attempt_at = None
        notification.save(update_fields=["email_status", "sent_at", "next_attempt_at", "provider_message_id"])
        return DeliveryOutcome.SENT, notification


def _connection_drop(connection) -> None:
    """After a failed send the connection may be broken (or mid-conversation): the next email
    of the batch opens a fresh one."""
    try:
        connection.close()
    except Exception:  # closing a broken connection may fail too; it is dropped either way
        logger.debug("closing the email connection after a failure failed", exc_info=True)


def notifications_deliver(*, notification_ids: Iterable[int]) -> Iterator[tuple[int, DeliveryOutcome]]:
    """One delivery attempt per id over ONE provider connection (an SMTP session or an HTTP
    session with the ESP), yielding each outcome as it is decided.

    Each email still has its own row lock and transaction (see the module docstring): a crash
    mid-batch re-sends at most the email in flight, never the batch.
    """
    connection = get_connection()
    try:
        for notification_id in notification_ids:
            outcome = notification_deliver(notification_id=notification_id, connection=connection)
            yield notification_id, outcome
    finally:
        _connection_drop(connection)


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


def notifications_deliver_pending(
    *,
    on_progress: Callable[[DeliverySummary], None] | None = None,
    guard: DeliveryPassGuard | None = None,
) -> DeliverySummary:
    """One delivery attempt for every PENDING notification that is due (the foreground pass of
    `notify`); one that failed transiently waits until its next_attempt_at. `guard`: the bounds
    of a pass this one continues (`notify` sends the waiting verification emails first).
    """
    # One provider connection for the whole pass (reopened after a failed send).
    connection = get_connection()

    def deliver(notification_id: int, on_send_error: Callable[[EmailSendError], None]) -> DeliveryOutcome:
        return notification_deliver(
            notification_id=notification_id, on_send_error=on_send_error, connection=connection
        )

    try:
        return delivery_pass(
            pending=notifications_due(now=timezone.now()),
            deliver=deliver,
            guard=guard or DeliveryPassGuard(),
            on_progress=on_progress,
        )
    finally:
        _connection_drop(connection)


def delivery_pass(
    *,
    pending: QuerySet,
    deliver: Callable[[int, Callable[[EmailSendError], None]], DeliveryOutcome],
    guard: DeliveryPassGuard,
    on_progress: Callable[[DeliverySummary], None] | None = None,
) -> DeliverySummary:
    """`deliver(id, on_send_error)` once for every row of `pending` (due emails: notifications,
    verification emails), by id upwards in batches, up to the highest id that exists when the
    pass starts, so each row gets at most one attempt per pass and the pass always ends: after
    EMAIL_DELIVERY_PASS_BUDGET_SECONDS, or when the provider looks unreachable
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
            .values_list("id", flat=True)[:DELIVERY_BATCH_SIZE]
        )
        if not batch:
            return summary
        for row_id in batch:
            # --- hardening: the pass's time budget and circuit breaker
            reason = guard.stop_reason()
            if reason is not None:
                logger.warning("Delivery pass %s", reason)
                return replace(summary, stopped=reason)
            outcome = deliver(row_id, guard.send_failed)
            if outcome == DeliveryOutcome.SENT:
                guard.sent()
            # --- end hardening
            summary = delivery_summary_add(summary, outcome)
        after = batch[-1]
        if on_progress is not None:
            on_progress(summary)
