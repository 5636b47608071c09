"""Delivery in batches (notifications.delivery): one claim for a batch of emails and one write
per email right after its send, each email with its own outcome, and what a crash mid-batch
leaves (notifications.delivery_lease)."""

from datetime import timedelta
from unittest import mock

import pytest
from anymail.exceptions import AnymailRecipientsRefused
from django.core import mail
from django.db import connection
from django.utils import timezone

from members.models import EmailSuppressionReason
from notifications import delivery
from notifications.deliverability import email_address_suppress
from notifications.delivery import (
    DeliveryOutcome,
    DeliverySummary,
    notification_deliver,
    notifications_deliver,
    notifications_deliver_pending,
    notifications_due,
)
from notifications.models import EmailStatus, Notification
from tests.emails.batch_helpers import ProcessDied, pending_notifications, statuses
from tests.emails.providers import ScriptedBackend, esp_api_error
from tests.services import require_postgres

pytestmark = pytest.mark.django_db


class Clock:
    """timezone.now() under the test's control."""

    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now


def test_a_crash_mid_batch_repeats_at_most_the_email_in_flight_and_the_rest_wait_for_the_lease(
    provider_script, monkeypatch
):
    # given: batches of 4; the process dies after the provider accepted the 2nd email, before
    # its outcome is stored (the worst moment)
    monkeypatch.setattr("notifications.delivery.DELIVERY_BATCH_SIZE", 4)
    notifications = pending_notifications(5)
    stores = []

    def outcome_store_then_die(notification, outcome):
        stores.append(notification.id)
        if len(stores) == 2:
            raise ProcessDied
        outcome_store(notification, outcome)

    outcome_store = delivery._outcome_store
    monkeypatch.setattr(delivery, "_outcome_store", outcome_store_then_die)
    clock = Clock()

    with mock.patch("django.utils.timezone.now", clock):
        with pytest.raises(ProcessDied):
            notifications_deliver_pending()

        # then: the 1st email was recorded at once; the one in flight and the two not
        # attempted are PENDING, no attempt counted; the last batch was never claimed
        assert statuses(notifications) == [(EmailStatus.SENT, 0)] + [(EmailStatus.PENDING, 0)] * 4
        assert [message.to for message in mail.outbox] == [[n.member.email] for n in notifications[:2]]

        # when: the next pass, while the crashed batch's lease lasts
        clock.now += timedelta(minutes=1)
        summary = notifications_deliver_pending()

        # then: it sends only the email no batch holds
        assert summary == DeliverySummary(attempted=1, sent=1)
        assert statuses(notifications)[1:4] == [(EmailStatus.PENDING, 0)] * 3
        assert [message.to for message in mail.outbox][-1] == [notifications[4].member.email]

        # when: a pass after the lease expired
        clock.now = Notification.objects.get(id=notifications[1].id).claimed_until + timedelta(seconds=1)
        summary = notifications_deliver_pending()

    # then: the rest is sent; only the email in flight at the crash went out twice
    assert summary == DeliverySummary(attempted=3, sent=3)
    assert statuses(notifications) == [(EmailStatus.SENT, 0)] * 5
    assert not Notification.objects.filter(claimed_until__isnull=False).exists()
    sent_to = [message.to[0] for message in mail.outbox]
    assert [sent_to.count(n.member.email) for n in notifications] == [1, 2, 1, 1, 1]
    assert ScriptedBackend.calls == 6
    assert stores == [n.id for n in notifications[:2]] + [notifications[4].id] + [
        n.id for n in notifications[1:4]
    ]


def test_an_email_another_delivery_holds_a_lease_on_is_left_alone_until_it_expires(
    provider_script, django_capture_on_commit_callbacks
):
    # given: one email claimed by a delivery (its lease lasts), one free
    held, free = pending_notifications(2)
    Notification.objects.filter(id=held.id).update(claimed_until=timezone.now() + timedelta(minutes=5))

    # then: the pass and a worker's attempt send only the free one
    assert notifications_deliver_pending() == DeliverySummary(attempted=1, sent=1)
    assert notification_deliver(notification_id=held.id) == DeliveryOutcome.SKIPPED
    assert list(notifications_due(now=timezone.now())) == []

    # and a suppression of its address leaves it to the delivery that holds it
    with django_capture_on_commit_callbacks(execute=True):
        email_address_suppress(
            address=held.member.email,
            reason=EmailSuppressionReason.BOUNCED,
            detail="550",
            occurred_at=timezone.now(),
        )
    held.refresh_from_db()
    assert held.email_status == EmailStatus.PENDING

    # when: the lease expired: the next claim finds the address suppressed
    Notification.objects.filter(id=held.id).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert notification_deliver(notification_id=held.id) == DeliveryOutcome.IGNORED
    assert len(mail.outbox) == 1


def test_one_permanent_and_one_transient_failure_among_successes_each_get_their_own_outcome(
    provider_script,
):
    notifications = pending_notifications(4)
    provider_script.extend([None, AnymailRecipientsRefused("refused"), esp_api_error(503), None])

    outcomes = dict(notifications_deliver(notification_ids=[n.id for n in notifications]))

    assert [outcomes[n.id] for n in notifications] == [
        DeliveryOutcome.SENT,
        DeliveryOutcome.FAILED,
        DeliveryOutcome.RETRYING,
        DeliveryOutcome.SENT,
    ]
    assert statuses(notifications) == [
        (EmailStatus.SENT, 0),
        (EmailStatus.FAILED, 0),
        (EmailStatus.PENDING, 1),
        (EmailStatus.SENT, 0),
    ]
    rows = Notification.objects.in_bulk([n.id for n in notifications])
    sent, failed, retrying, sent_too = (rows[n.id] for n in notifications)
    assert "AnymailRecipientsRefused" in failed.last_error and failed.next_attempt_at is None
    assert "503" in retrying.last_error and retrying.next_attempt_at is not None
    for row in (sent, sent_too):
        assert row.last_error == "" and row.sent_at is not None and row.provider_message_id
    # each sent row keeps the id the provider gave its own email
    assert sent.provider_message_id != sent_too.provider_message_id
    assert len(mail.outbox) == 2


def test_ids_another_worker_holds_or_that_are_gone_are_skipped_in_a_batch(provider_script):
    notifications = pending_notifications(2)
    Notification.objects.filter(id=notifications[1].id).update(email_status=EmailStatus.SENT)

    outcomes = list(
        notifications_deliver(notification_ids=[notifications[0].id, notifications[1].id, 987654])
    )

    assert outcomes == [
        (notifications[0].id, DeliveryOutcome.SENT),
        (notifications[1].id, DeliveryOutcome.SKIPPED),
        (987654, DeliveryOutcome.SKIPPED),
    ]
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("emails", [5, 40])
def test_a_pass_makes_a_few_queries_per_batch_and_one_per_email(emails, django_assert_num_queries):
    pending_notifications(emails)
    # the due ids (2: the last id, then the batch), the claim (a locking SELECT and the lease's
    # UPDATE, in a savepoint here), one UPDATE per email right after its send, the empty next batch;
    # on PostgreSQL the batch's commits unflushed (SET, then RESET synchronous_commit)
    unflushed = 2 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(7 + emails + unflushed):
        summary = notifications_deliver_pending()
    assert summary.sent == emails


def _synchronous_commit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        return cursor.fetchone()[0]


def test_a_batch_commits_its_outcomes_unflushed_and_the_connection_is_restored_after(monkeypatch):
    require_postgres()
    pending_notifications(2)
    seen = []
    send = delivery.email_send

    def send_and_look(message):
        seen.append(_synchronous_commit())
        return send(message)

    monkeypatch.setattr(delivery, "email_send", send_and_look)
    assert _synchronous_commit() == "on"
    summary = notifications_deliver_pending()
    assert summary.sent == 2
    assert seen == ["off", "off"]
    assert _synchronous_commit() == "on"


def test_a_batch_whose_lease_a_slow_provider_used_up_leaves_the_rest_to_be_claimed_again(
    provider_script, monkeypatch, settings
):
    # given: a batch of 3 (a lease of 4 allowances), the 1st send taking 3 of them
    settings.EMAIL_CLAIM_LEASE_SECONDS = 60
    notifications = pending_notifications(3)
    clock = Clock()
    send = delivery.email_send

    def slow_send(message):
        clock.now += timedelta(seconds=181)
        return send(message)

    monkeypatch.setattr(delivery, "email_send", slow_send)

    with mock.patch("django.utils.timezone.now", clock):
        summary = notifications_deliver_pending()

    # then: only the 1st was sent; the 2nd and 3rd are PENDING and claimable at once (no lease),
    # not sent under a lease another delivery could already take over
    assert summary.sent == 1
    assert statuses(notifications) == [(EmailStatus.SENT, 0)] + [(EmailStatus.PENDING, 0)] * 2
    assert not Notification.objects.filter(claimed_until__isnull=False).exists()
    assert len(mail.outbox) == 1
