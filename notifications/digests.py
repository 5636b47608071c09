"""Daily and weekly digests: one email listing a member's pending notifications.

Members on emailFrequency DAILY or WEEKLY get no email per notification (notifications.
digest_hold); their PENDING notifications wait here, and `digests_send` emails them all in
one digest and marks them SENT. Beat calls it at DIGEST_HOUR_UTC (weekly: on Mondays) with
`scheduled=True`; `manage.py senddigests` calls it on demand.

Sent once: a scheduled digest first inserts its Digest row, unique per (member, frequency,
period), in the same transaction that sends it and marks its notifications SENT. A second
beat instance (or a re-delivered task) inserting the same row waits for the first one's
commit and then finds the row taken, so it sends nothing; if the first one rolls back (the
provider failed), the second may send. Each notification is locked while its digest is being
sent and only a PENDING one is included, so no notification is ever in two digests, whether
scheduled or on demand.

Failures: a transient one (network, 4xx SMTP, 5xx/429 HTTP) rolls the digest back, its
notifications stay PENDING and go in the next digest; a permanent one (the address refused)
marks them FAILED with the reason, as one-by-one delivery does.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from members.models import DIGEST_FREQUENCIES, EmailFrequency, Member
from notifications.deliverability import email_send_failure_suppress, provider_message_id
from notifications.delivery_lease import unclaimed
from notifications.digest_email import DigestItem, digest_email_render
from notifications.emails import email_message_build
from notifications.models import Digest, EmailStatus, Notification
from notifications.presentation import watched_entity_id
from notifications.sending import EmailSendError, email_failure_classify, email_send
from notifications.unsubscribe import digest_unsubscribe_url
from pioneer.errors import invalid_input
from preferences.tokens import preferences_url
from subscriptions.kinds import immediate_kinds, is_entity
from subscriptions.models import Subscription

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestSummary:
    members: int = 0  # members on the frequency with pending notifications
    sent: int = 0  # digest emails sent
    notifications: int = 0  # notifications those digests covered (now SENT)
    ignored: int = 0  # notifications turned IGNORED (email off for their kind, or no address)
    failed: int = 0  # digests that could not be sent
    skipped: int = 0  # members whose digest of this period was already sent, or who had nothing left

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class _Outcome(StrEnum):
    SENT = "SENT"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"


@dataclass(frozen=True)
class _MemberResult:
    outcome: _Outcome
    covered: int = 0
    ignored: int = 0


def digest_period_start(*, frequency: str, now: datetime) -> date:
    """The first day (UTC) of the period a digest sent at `now` closes: that day, or its week's Monday."""
    day = now.astimezone(UTC).date()
    return day if frequency == EmailFrequency.DAILY else day - timedelta(days=day.weekday())


def _frequency_checked(frequency: str) -> str:
    frequency = str(frequency).upper()
    if frequency not in DIGEST_FREQUENCIES:
        raise invalid_input("frequency must be DAILY or WEEKLY")
    return frequency


def _held_pending():
    return Notification.objects.filter(email_status=EmailStatus.PENDING).exclude(
        kind__in=sorted(immediate_kinds())
    )


def digests_send(*, frequency: str, scheduled: bool = False, now: datetime | None = None) -> DigestSummary:
    """Send `frequency`'s digest now to every member on it who has pending notifications.

    `scheduled` (beat): at most one digest per member and period, the period being the day
    (DAILY) or the week from Monday (WEEKLY) of `now`. On demand (the default), whatever is
    pending is sent, even if this period's digest went out already.
    """
    frequency = _frequency_checked(frequency)
    now = now or timezone.now()
    period_start = digest_period_start(frequency=frequency, now=now)
    member_ids = list(
        _held_pending()
        .filter(member__email_frequency=frequency)
        .order_by("member_id")
        .values_list("member_id", flat=True)
        .distinct()
    )
    summary = DigestSummary(members=len(member_ids))
    for member_id in member_ids:
        result = _member_digest_send(
            member_id=member_id, frequency=frequency, period_start=period_start, scheduled=scheduled
        )
        summary = replace(
            summary,
            sent=summary.sent + (result.outcome == _Outcome.SENT),
            failed=summary.failed + (result.outcome == _Outcome.FAILED),
            skipped=summary.skipped + (result.outcome == _Outcome.SKIPPED),
            notifications=summary.notifications + result.covered,
            ignored=summary.ignored + result.ignored,
        )
    logger.info("Digests %s: %s", frequency, summary.as_dict())
    return summary


def _email_turned_off(member_id: int):
    """A test of one notification: has the member turned email off for its kind (or its watch)
    since it was made? The same rule as one-by-one delivery, with one query per member."""
    off = set(
        Subscription.objects.filter(member_id=member_id, should_notify_by_email=False).values_list(
            "kind", "entity_id"
        )
    )

    def turned_off(notification: Notification) -> bool:
        if not is_entity(notification.kind):
            return (notification.kind, None) in off
        entity_id = watched_entity_id(notification.display_data)
        return entity_id is not None and (notification.kind, entity_id) in off

    return turned_off


def _member_digest_send(
    *, member_id: int, frequency: str, period_start: date, scheduled: bool
) -> _MemberResult:
    started = time.monotonic()
    with transaction.atomic():
        digest = Digest(
            member_id=member_id, frequency=frequency, period_start=period_start, scheduled=scheduled
        )
        if scheduled:
            # Waits for a concurrent run's commit; finding the row taken means it was sent.
            digest, created = Digest.objects.get_or_create(
                member_id=member_id, frequency=frequency, period_start=period_start, scheduled=True
            )
            if not created:
                return _MemberResult(_Outcome.SKIPPED)
        member = Member.objects.get(pk=member_id)
        if member.email_frequency != frequency:  # switched since the list was read
            transaction.set_rollback(True)
            return _MemberResult(_Outcome.SKIPPED)
        rows = list(
            _held_pending()
            .select_for_update(skip_locked=True)
            .filter(unclaimed(timezone.now()))  # one a one-by-one delivery is sending is its own
            .filter(member_id=member_id)
            .order_by("created_at", "id")
            .only("id", "member_id", "kind", "data")
        )
        turned_off = _email_turned_off(member_id)
        # A suppressed address (deliverability) counts as none, as in one-by-one delivery.
        can_email = bool(member.email and member.receive_emails and member.email_deliverable)
        ignored = {row.id for row in rows if not can_email or turned_off(row)}
        covered = [row for row in rows if row.id not in ignored]
        Notification.objects.filter(id__in=sorted(ignored)).update(email_status=EmailStatus.IGNORED)
        if not covered:
            if digest.pk is not None:
                digest.delete()  # nothing was sent: no record of a digest
            return _MemberResult(_Outcome.SKIPPED, ignored=len(ignored))
        rendered = digest_email_render(
            items=[DigestItem(kind=row.kind, data=row.display_data) for row in covered],
            total=len(covered),
            frequency=frequency,
            member_name=member.name,
            unsubscribe_url=digest_unsubscribe_url(member_id=member_id, frequency=frequency),
            preferences_url=preferences_url(member_id=member_id, email=member.email),
        )
        covered_ids = [row.id for row in covered]
        message = email_message_build(rendered=rendered, to=member.email)
        try:
            email_send(message)
        except Exception as exc:  # a send failure or a rendering bug: classified, none is lost
            error = exc if isinstance(exc, EmailSendError) else email_failure_classify(exc)
            logger.warning("%s digest for member %s failed: %s", frequency, member_id, error)
            if error.transient:
                transaction.set_rollback(True)  # all stays PENDING for the next digest
                return _MemberResult(_Outcome.FAILED)
            Notification.objects.filter(id__in=covered_ids).update(
                email_status=EmailStatus.FAILED, last_error=str(error)
            )
            if digest.pk is not None:
                digest.delete()
            # deliverability: a permanent refusal of the recipient suppresses the address
            covered[0].member = member
            email_send_failure_suppress(notification=covered[0], exc=exc.__cause__ or exc)
            return _MemberResult(_Outcome.FAILED, ignored=len(ignored))
        Notification.objects.filter(id__in=covered_ids).update(
            email_status=EmailStatus.SENT,
            sent_at=timezone.now(),
            # deliverability: the provider's webhooks name the digest by this id
            provider_message_id=provider_message_id(message),
        )
        digest.notification_count = len(covered_ids)
        digest.save()
    logger.info(
        "Digest %s SENT: member %s, %d notifications, in %.2fs",
        frequency,
        member_id,
        len(covered_ids),
        time.monotonic() - started,
    )
    return _MemberResult(_Outcome.SENT, covered=len(covered_ids), ignored=len(ignored))
