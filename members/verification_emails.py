"""Verification emails, kept until sent (issue 14): one row per request, sent by whichever of
the API's own attempt, a worker or the delivery pass of `notify` claims it first.

The request stores the row in its transaction and hands it off once that commits: to a worker
when there is a broker, else one attempt from the API bounded by
EMAIL_IN_REQUEST_TIMEOUT_SECONDS (a person waits for the link, a hung provider must not hold a
server thread). A transient failure gets the retry bookkeeping of notification emails
(notifications.delivery_pass.email_failure_record: EMAIL_RETRY_BACKOFF_SECONDS doubling, at most
EMAIL_MAX_RETRY_COUNT retries): the worker queues its retry, `notify` and the periodic sweeper
pick up due rows. As for notifications the row is locked while it is sent and its due time is
checked again under the lock, so one due time is one attempt, never two.

Only the latest request of a member is sent: a newer one, or a member whose waiting address is
no longer this one (verified, replaced, cancelled), makes it SUPERSEDED. The rate limits count
requests (members.services), never these retries. The link's token is made at send time from
the stored base, so no secret is stored and the link lasts EMAIL_VERIFICATION_TTL_DAYS from
when it arrives.
"""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from members.emails import verification_email_send
from members.models import Member, VerificationEmail, VerificationStatus
from members.tokens import email_verification_token_issue
from notifications.delivery import DELIVERY_BATCH_SIZE
from notifications.delivery_guard import DeliveryPassGuard
from notifications.delivery_pass import (
    DeliveryOutcome,
    DeliverySummary,
    delivery_pass,
    email_failure_record,
    per_row,
)
from notifications.dispatch import delivery_runs_inline, lost_task_ids
from notifications.sending import EmailSendError, email_failure_classify
from pioneer.celery import app

logger = logging.getLogger(__name__)

VERIFICATION_EMAIL_TASK = "members.tasks.send_verification_email"


def verification_link(*, link_base: str, token: str) -> str:
    return f"{link_base.rstrip('/')}/#/settings?emailVerificationToken={token}"


def verification_email_request(*, member: Member, email: str, link_base: str) -> VerificationEmail:
    """Inside the transaction that stored `email` as the member's unverified address: the email
    to send, superseding the member's earlier ones; handed off once the transaction commits
    (a worker must find the row, a rolled-back change must send nothing)."""
    verification_emails_supersede(member_id=member.id)
    row = VerificationEmail.objects.create(
        member=member,
        email=email,
        link_base=link_base,
        email_queued_at=None if delivery_runs_inline() else timezone.now(),
    )
    # robust: a failure is logged, it never turns a stored request into an error (the row
    # stays PENDING for the sweeper and `notify`).
    transaction.on_commit(partial(_hand_off, row.id), robust=True)
    return row


def verification_email_from_earlier_release(
    *, member_id: int, email: str, link: str, timeout: float | None = None
) -> str:
    """A task of an earlier release (member, address and link, no stored row): stored and handed
    off as a request now, unless the member has since replaced or verified that address, or a
    stored request for it exists already. The link's base is kept; its token is made afresh at
    send time, as for any stored request. `timeout` was the API's own attempt: unused."""
    link_base = link.split("/#/settings?", 1)[0]
    with transaction.atomic():
        member = Member.objects.select_for_update().filter(pk=member_id).first()
        if member is None or member.unverified_email != email:
            return "SKIPPED"
        if VerificationEmail.objects.filter(member=member, email=email).exists():
            return "SKIPPED"
        verification_email_request(member=member, email=email, link_base=link_base)
    return "QUEUED"


def verification_emails_supersede(*, member_id: int) -> int:
    """The member's PENDING verification emails will not be sent: a newer request, or no
    address waiting any more. One being sent right now (locked) is passed by: its sender
    checks the member's waiting address under its lock."""
    waiting = VerificationEmail.objects.select_for_update(skip_locked=True).filter(
        member_id=member_id, email_status=VerificationStatus.PENDING
    )
    return VerificationEmail.objects.filter(id__in=list(waiting.values_list("id", flat=True))).update(
        email_status=VerificationStatus.SUPERSEDED, next_attempt_at=None
    )


def _hand_off(verification_id: int) -> None:
    if not delivery_runs_inline():
        try:
            app.send_task(VERIFICATION_EMAIL_TASK, args=(verification_id,))
            return
        except Exception as exc:  # kombu raises OperationalError and friends when the broker is down
            logger.warning("Broker unavailable (%s): sending the verification email from the API", exc)
    verification_email_deliver(
        verification_id=verification_id, timeout=settings.EMAIL_IN_REQUEST_TIMEOUT_SECONDS
    )


def verification_emails_due(*, now) -> QuerySet[VerificationEmail]:
    """PENDING verification emails whose attempt is due: never tried, or past their backoff."""
    return VerificationEmail.objects.filter(email_status=VerificationStatus.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def verification_email_deliver(
    *, verification_id: int, timeout: float | None = None, on_send_error=None
) -> DeliveryOutcome:
    """One attempt for one verification email; safe to call any number of times, concurrently.
    `timeout`: seconds the provider may take (the API's own attempt); else the configured one.
    `on_send_error` hears of a failed send (the pass's circuit breaker). Logs the outcome, never
    the address."""
    with transaction.atomic():
        row = (
            VerificationEmail.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("member")
            .filter(id=verification_id)
            .first()
        )
        if row is None or row.email_status != VerificationStatus.PENDING:
            return DeliveryOutcome.SKIPPED
        # Not due (checked under the lock): another path attempted it since this caller chose it.
        if row.next_attempt_at is not None and row.next_attempt_at > timezone.now():
            return DeliveryOutcome.SKIPPED
        if _superseded(row):
            row.email_status = VerificationStatus.SUPERSEDED
            row.next_attempt_at = None
            row.save(update_fields=["email_status", "next_attempt_at"])
            outcome = DeliveryOutcome.IGNORED
        else:
            outcome = _send(row, timeout, on_send_error)
    logger.info(
        "Verification email %s: %s of member %s, retry count %s",
        outcome.value,
        row.id,
        row.member_id,
        row.retry_count,
    )
    return outcome


def _superseded(row: VerificationEmail) -> bool:
    """A link for an address the member has since replaced or verified is useless, and only the
    latest request gets one."""
    newer = VerificationEmail.objects.filter(member_id=row.member_id, id__gt=row.id)
    return row.member.unverified_email != row.email or newer.exists()


def _send(row: VerificationEmail, timeout: float | None, on_send_error) -> DeliveryOutcome:
    token = email_verification_token_issue(member_id=row.member_id, email=row.email)
    link = verification_link(link_base=row.link_base, token=token)
    try:
        verification_email_send(member=row.member, email=row.email, link=link, timeout=timeout)
    except Exception as exc:  # a send failure or a rendering bug: recorded on the row, none is lost
        error = exc if isinstance(exc, EmailSendError) else email_failure_classify(exc)
        outcome = email_failure_record(row, error)
        if on_send_error is not None:
            on_send_error(error)
        logger.warning("Verification email %s: %s (%s)", row.id, error, outcome.value)
        return outcome
    row.email_status = VerificationStatus.SENT
    row.sent_at = timezone.now()
    row.next_attempt_at = None
    row.save(update_fields=["email_status", "sent_at", "next_attempt_at"])
    return DeliveryOutcome.SENT


def verification_emails_deliver_pending(*, guard: DeliveryPassGuard) -> DeliverySummary:
    """One attempt for every due verification email (`notify`'s delivery pass, within `guard`)."""
    return delivery_pass(
        pending=verification_emails_due(now=timezone.now()),
        deliver_batch=per_row(
            lambda verification_id, on_send_error: verification_email_deliver(
                verification_id=verification_id, on_send_error=on_send_error
            )
        ),
        batch_size=DELIVERY_BATCH_SIZE,
        guard=guard,
    )


def verification_emails_sweep_pending() -> int:
    """With a broker (the periodic sweeper): queue the due verification emails whose task was
    lost, or whose retry was too far off for a worker to hold; returns how many were queued.

    Lost, as for notifications: the task should have run more than EMAIL_SWEEP_GRACE_SECONDS
    ago (email_queued_at), or the row was never queued and is older than that.
    """
    if delivery_runs_inline():
        return 0
    now = timezone.now()
    with transaction.atomic():
        lost = lost_task_ids(verification_emails_due(now=now), now=now)
        VerificationEmail.objects.filter(id__in=lost).update(email_queued_at=now)
        for verification_id in lost:
            transaction.on_commit(
                partial(app.send_task, VERIFICATION_EMAIL_TASK, args=(verification_id,)), robust=True
            )
    return len(lost)
