"""Email delivery of notifications: one email per notification, exactly once.

`notifications_deliver` is the one place a notification email is sent, a batch of ids at a
time; the Celery tasks, `notify`'s foreground pass and `notification_deliver` (one id) all
call it. Sending, failure classification and backoff are notifications.sending's, shared
with verification emails; the row keeps the bookkeeping (retry_count, last_error,
next_attempt_at) of docs/api-contract.md ("Retry bookkeeping").

A batch (DELIVERY_BATCH_SIZE ids) is claimed in one short transaction: one SELECT … FOR UPDATE
SKIP LOCKED of the due rows no other delivery holds (the member and the email-turned-off checks
read in the same query), and one UPDATE giving them a lease (notifications.delivery_lease).
The emails are then sent one by one over one connection, with no transaction open, and each
outcome is stored by one UPDATE right after its send, clearing that row's lease. The model
has no "sending" state: the lease is what stops a second worker, a re-delivered task, the
sweeper or a digest from sending an email while this batch holds it, and every path that
picks PENDING emails respects it. The lease outlives the batch's sends (each bounded by the
provider timeout: EMAIL_TIMEOUT for SMTP, Anymail's request timeout for ESPs); what the
pass's guard (notifications.delivery_guard) stops before sending is released at once.

After a crash: if the process dies after the provider accepted an email but before its
outcome was stored, that one row is still PENDING and is sent again once its lease expires:
at-least-once is the best any provider without idempotency keys allows, and a crash repeats
at most the one email in flight. The batch's emails not attempted yet are sent once the lease
expires, never twice (tests/emails/test_delivery_batches.py).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import lru_cache

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connections, router, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils import timezone

from notifications.deliverability import (
    email_send_failure_suppress,
    provider_message_id,
    suppressed_email_reason,
)
from notifications.delivery_guard import DeliveryPassGuard
from notifications.delivery_lease import commits_unflushed, lease_covers_a_send, lease_until, unclaimed
from notifications.delivery_pass import (
    OUTCOME_FIELDS,
    DeliveryOutcome,
    DeliverySummary,
    delivery_pass,
    email_failure_set,
)
from notifications.digest_hold import emails_never, held_for_digest
from notifications.email_render_cache import NotificationEmailRenderCache, thread_render_cache
from notifications.models import EmailStatus, Notification
from notifications.presentation import watched_entity_id
from notifications.sending import EmailSendError, email_failure_classify, email_send
from notifications.unsubscribe import unsubscribe_url
from preferences.tokens import preferences_url
from subscriptions.kinds import is_entity
from subscriptions.models import Subscription

logger = logging.getLogger(__name__)

# Ids per query of a delivery pass; notification emails: per claim and lease.
DELIVERY_BATCH_SIZE = 50


def notifications_due(*, now: datetime) -> QuerySet[Notification]:
    """PENDING notifications whose next attempt is due: never tried, or waited out their backoff,
    and no delivery holds a lease on (notifications.delivery_lease). Those held for a digest
    are not: the digest sends them (notifications.digest_hold)."""
    return (
        Notification.objects.filter(email_status=EmailStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(unclaimed(now))
        .exclude(held_for_digest())  # digests
    )


def notification_email_build(
    *, notification: Notification, connection=None, emails: NotificationEmailRenderCache | None = None
) -> EmailMultiAlternatives:
    """The email of one notification; `emails` renders each event once for a whole batch."""
    member = notification.member
    data = notification.display_data
    return (emails or NotificationEmailRenderCache()).email(
        kind=notification.kind,
        data=data,
        member_name=member.name,
        # The notification's entity_id is the post; the link must name the watch that matched.
        unsubscribe_url=unsubscribe_url(
            member_id=member.id, kind=notification.kind, entity_id=watched_entity_id(data)
        ),
        # A link bound to the address it is sent to; none for a member without one (a preview).
        preferences_url=preferences_url(member_id=member.id, email=member.email) if member.email else "",
        to=member.email,
        connection=connection,
    )


def notification_deliver(*, notification_id: int) -> DeliveryOutcome:
    """One delivery attempt for one notification; safe to call any number of times, concurrently."""
    return dict(notifications_deliver(notification_ids=[notification_id]))[notification_id]


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


def _unsendable(notification: Notification) -> DeliveryOutcome | None:
    """IGNORED (set on the row) when the claimed row must not be sent, else None."""
    member = notification.member
    # --- deliverability: a suppressed address gets nothing, and the row says why
    if member.email and not member.email_deliverable:
        notification.email_status = EmailStatus.IGNORED
        notification.last_error = suppressed_email_reason(member.email_suppressed_reason)
        return DeliveryOutcome.IGNORED
    # --- end deliverability
    if (
        not member.email
        or not member.receive_emails
        or emails_never(member)  # digests: emailFrequency NEVER
        or _email_turned_off_since(notification)
    ):
        notification.email_status = EmailStatus.IGNORED
        return DeliveryOutcome.IGNORED
    return None


def _send(
    notification: Notification,
    connection,
    emails: NotificationEmailRenderCache,
    guard: DeliveryPassGuard | None,
    refused: set[str],
) -> DeliveryOutcome:
    """Render and send one claimed email over the batch's connection, then store its outcome at
    once (in its own transaction: a crash after this loses nothing). An address refused for
    good is added to `refused`."""
    try:
        connection.open()  # a no-op while open; after a failure, a fresh connection
        message = notification_email_build(notification=notification, connection=connection, emails=emails)
        email_send(message)
    except Exception as exc:  # a send failure or a rendering bug: recorded on the row, none is lost
        _connection_drop(connection)
        error = exc if isinstance(exc, EmailSendError) else email_failure_classify(exc)
        outcome = email_failure_set(notification, error)
        if guard is not None:
            guard.send_failed(error)
        logger.warning("email for notification %s: %s (%s)", notification.id, error, outcome)
        with transaction.atomic():
            _outcome_store(notification, outcome)
            # deliverability: judged on what the provider raised, not on its classification
            provider_exc = exc.__cause__ if isinstance(exc, EmailSendError) and exc.__cause__ else exc
            if email_send_failure_suppress(notification=notification, exc=provider_exc):
                # The batch's other emails to this address: released, so that the suppression
                # (once this commits) marks them IGNORED.
                address = notification.member.email
                refused.add(address)
                Notification.objects.filter(
                    member__email__iexact=address, claimed_until=notification.claimed_until
                ).update(claimed_until=None)
        return outcome
    if guard is not None:
        guard.sent()
    notification.email_status = EmailStatus.SENT
    notification.sent_at = timezone.now()
    # deliverability: the provider's webhooks name the email by this id
    notification.provider_message_id = provider_message_id(message)
    notification.next_attempt_at = None
    _outcome_store(notification, DeliveryOutcome.SENT)
    return DeliveryOutcome.SENT


def _outcome_store(notification: Notification, outcome: DeliveryOutcome) -> None:
    """One UPDATE: the outcome's fields, and the lease cleared (the instance keeps its lease
    value: it names the batch's other rows). The statement is written once per outcome (the
    ORM's update() compiled it again for every email, on the path between two sends)."""
    database = connections[router.db_for_write(Notification)]
    sql, fields = _outcome_statement(database.alias, outcome)
    params = [field.get_db_prep_save(getattr(notification, field.attname), database) for field in fields]
    with database.cursor() as cursor:
        cursor.execute(sql, [*params, notification.id])


@lru_cache(maxsize=16)
def _outcome_statement(alias: str, outcome: DeliveryOutcome) -> tuple[str, list]:
    """UPDATE … SET claimed_until = NULL, <the outcome's fields> = %s … WHERE id = %s."""
    quote = connections[alias].ops.quote_name
    fields = [Notification._meta.get_field(name) for name in OUTCOME_FIELDS[outcome]]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    claimed_until = quote(Notification._meta.get_field("claimed_until").column)
    table, pk = quote(Notification._meta.db_table), quote(Notification._meta.pk.column)
    return f"UPDATE {table} SET {claimed_until} = NULL, {assignments} WHERE {pk} = %s", fields


def _claim(notification_ids: list[int], now: datetime) -> list[Notification]:
    """The due rows among `notification_ids` no other delivery holds (row lock or lease), each
    given this batch's lease, in one short transaction (one locking SELECT, one UPDATE): no
    lock is held while an email is sent."""
    with transaction.atomic():
        claimed = list(
            notifications_due(now=now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("member")
            .annotate(**_email_off_annotations())
            .filter(id__in=notification_ids)
            .order_by("id")
        )
        if claimed:
            until = lease_until(now=now, emails=len(claimed))
            Notification.objects.filter(id__in=[n.id for n in claimed]).update(claimed_until=until)
            for notification in claimed:
                notification.claimed_until = until
    return claimed


def _leases_release(notifications: list[Notification]) -> None:
    """The claimed rows this batch did not attempt (the guard stopped it, an error): claimable
    again at once. Filtered on the lease, so a row released or recorded since is left alone."""
    if notifications:
        Notification.objects.filter(
            id__in=[n.id for n in notifications], claimed_until=notifications[0].claimed_until
        ).update(claimed_until=None)


def _batch_deliver(
    notification_ids: list[int],
    connection,
    emails: NotificationEmailRenderCache,
    guard: DeliveryPassGuard | None = None,
) -> tuple[list[tuple[int, DeliveryOutcome]], str | None]:
    """Claim one batch, then send each email and store its outcome right after its send: the
    outcome of each id (SKIPPED for one that is not due, gone, or that another delivery holds),
    and why the pass's guard stopped it (the ids after that point are left as they were and
    have no outcome), or None."""
    decided: dict[int, DeliveryOutcome] = {}
    stopped = None
    with commits_unflushed():
        claimed = _claim(notification_ids, timezone.now())
        # deliverability: addresses refused for good in this batch; their other emails are left
        # PENDING (released), and the suppression marks them IGNORED
        refused: set[str] = set()
        for position, notification in enumerate(claimed):
            started = time.monotonic()
            if notification.member.email in refused:
                decided[notification.id] = DeliveryOutcome.SKIPPED
                continue
            try:
                outcome = _unsendable(notification)
                if outcome is not None:
                    _outcome_store(notification, outcome)
                else:
                    if not lease_covers_a_send(notification.claimed_until, timezone.now()):
                        # A slow provider used up the batch's lease: another delivery may claim
                        # the rest from now on, so this one leaves them (claimable at once).
                        logger.warning("Delivery batch stopped: its lease has no time left for another email")
                        _leases_release(claimed[position:])
                        break
                    # --- hardening: the pass's time budget and circuit breaker
                    stopped = guard.stop_reason() if guard is not None else None
                    if stopped is not None:
                        logger.warning("Delivery pass %s", stopped)
                        _leases_release(claimed[position:])
                        break
                    # --- end hardening
                    outcome = _send(notification, connection, emails, guard, refused)
            except Exception:  # a database error: what was not attempted is claimable again at once
                _leases_release(claimed[position:])
                raise
            decided[notification.id] = outcome
            _attempt_log(notification, outcome, started)
    if stopped is not None:
        return list(decided.items()), stopped
    return [(id_, decided.get(id_, DeliveryOutcome.SKIPPED)) for id_ in notification_ids], None


def _attempt_log(notification: Notification, outcome: DeliveryOutcome, started: float) -> None:
    """One line per attempt that reached a decision: the outcome, the notification and its
    kind, the retry count and the duration. Never the address: logs are not for personal data."""
    logger.info(
        "Email %s: notification %s (%s), retry count %s, in %.2fs",
        outcome.value,
        notification.id,
        notification.kind,
        notification.retry_count,
        time.monotonic() - started,
    )


def _connection_drop(connection) -> None:
    """After a failed send the connection may be broken (or mid-conversation): the next email
    of the batch opens a fresh one."""
    try:
        connection.close()
    except Exception:  # closing a broken connection may fail too; it is dropped either way
        logger.debug("closing the email connection after a failure failed", exc_info=True)


def notifications_deliver(*, notification_ids: Iterable[int]) -> Iterator[tuple[int, DeliveryOutcome]]:
    """One delivery attempt per id over ONE provider connection (an SMTP session or an HTTP
    session with the ESP), DELIVERY_BATCH_SIZE ids per claim, yielding the outcomes of each
    batch once it is done."""
    ids = list(notification_ids)
    connection = get_connection()
    emails = thread_render_cache()  # kept from one Celery task to the next
    try:
        for start in range(0, len(ids), DELIVERY_BATCH_SIZE):
            outcomes, _ = _batch_deliver(ids[start : start + DELIVERY_BATCH_SIZE], connection, emails)
            yield from outcomes
    finally:
        _connection_drop(connection)


def notifications_deliver_pending(
    *,
    on_progress: Callable[[DeliverySummary], None] | None = None,
    guard: DeliveryPassGuard | None = None,
) -> DeliverySummary:
    """One delivery attempt for every PENDING notification that is due (the foreground pass of
    `notify`); one that failed transiently waits until its next_attempt_at. `guard`: the bounds
    of a pass this one continues (`notify` sends the waiting verification emails first).
    """
    # One provider connection for the whole pass (reopened after a failed send), and each
    # event rendered once for the whole pass (and for the process's later passes).
    connection = get_connection()
    emails = thread_render_cache()
    try:
        return delivery_pass(
            pending=notifications_due(now=timezone.now()),
            deliver_batch=lambda ids, guard: _batch_deliver(ids, connection, emails, guard),
            batch_size=DELIVERY_BATCH_SIZE,
            guard=guard or DeliveryPassGuard(),
            on_progress=on_progress,
        )
    finally:
        _connection_drop(connection)
