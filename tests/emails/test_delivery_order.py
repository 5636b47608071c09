"""The order of a delivery batch against a real SMTP server: each outcome is committed before
the next email reaches the provider, a failure is recorded on its own row and the batch goes
on, and a stop (the guard, a process dying in the provider call) sends nothing more."""

import psycopg
import pytest
from django.db import connection

from notifications import delivery
from notifications.delivery import DeliveryOutcome, notifications_deliver, notifications_deliver_pending
from notifications.delivery_guard import DeliveryPassGuard
from notifications.models import EmailStatus, Notification
from tests.emails.batch_helpers import ProcessDied, pending_notifications, statuses
from tests.services import require_postgres


@pytest.mark.django_db(transaction=True)
def test_each_outcome_is_committed_before_the_next_email_reaches_the_smtp_server(smtp_sink, monkeypatch):
    # given: batches of 3, 7 emails; the server reads the database through a connection of its
    # own (it sees committed rows only) each time an email starts (MAIL)
    require_postgres()
    monkeypatch.setattr("notifications.delivery.DELIVERY_BATCH_SIZE", 3)
    notifications = pending_notifications(7)
    ids = [n.id for n in notifications]
    database = connection.settings_dict
    seen_sent: list[int] = []
    with psycopg.connect(
        host=database["HOST"],
        port=database["PORT"] or 5432,
        user=database["USER"],
        password=database["PASSWORD"] or None,
        dbname=database["NAME"],
        autocommit=True,
    ) as reader:

        def count_sent() -> None:
            row = reader.execute(
                "SELECT count(*) FROM notifications_notification WHERE email_status = %s AND id = ANY(%s)",
                [EmailStatus.SENT, ids],
            ).fetchone()
            seen_sent.append(row[0])

        smtp_sink.on_mail = count_sent
        summary = notifications_deliver_pending()

    # then: the k-th email reached the server with exactly the k-1 before it stored as SENT
    assert summary.sent == 7
    assert seen_sent == list(range(7))
    assert statuses(notifications) == [(EmailStatus.SENT, 0)] * 7


@pytest.mark.django_db
def test_refusals_over_smtp_are_classified_and_recorded_on_their_own_rows(smtp_sink):
    # given: the server refuses the 2nd email's recipient for good, greylists the 3rd
    notifications = pending_notifications(4)
    replies = iter([[], ["550 5.1.1 No such user"], ["450 4.2.0 Greylisted, try again"], []])
    smtp_sink.on_mail = lambda: smtp_sink.refusals.extend(next(replies))

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
    assert rows[notifications[1].id].last_error.startswith("SMTPRecipientsRefused")
    assert "Greylisted" in rows[notifications[2].id].last_error
    assert [to for _, to in smtp_sink.envelopes] == [
        [notifications[0].member.email],
        [notifications[3].member.email],
    ]
    assert not Notification.objects.filter(claimed_until__isnull=False).exists()


@pytest.mark.django_db
def test_an_email_that_fails_to_render_is_recorded_on_its_row_and_the_batch_goes_on(smtp_sink, monkeypatch):
    # given: the 2nd email cannot be built (a rendering bug)
    notifications = pending_notifications(3)
    build = delivery.notification_email_build

    def build_or_fail(*, notification, **kwargs):
        if notification.id == notifications[1].id:
            raise RuntimeError("template bug")
        return build(notification=notification, **kwargs)

    monkeypatch.setattr(delivery, "notification_email_build", build_or_fail)

    outcomes = dict(notifications_deliver(notification_ids=[n.id for n in notifications]))

    # then: recorded on its row as a failed attempt (retried later), the others sent
    assert [outcomes[n.id] for n in notifications] == [
        DeliveryOutcome.SENT,
        DeliveryOutcome.RETRYING,
        DeliveryOutcome.SENT,
    ]
    failed = Notification.objects.get(id=notifications[1].id)
    assert failed.last_error == "RuntimeError: template bug" and failed.retry_count == 1
    assert [to for _, to in smtp_sink.envelopes] == [
        [notifications[0].member.email],
        [notifications[2].member.email],
    ]


@pytest.mark.django_db
def test_a_process_death_in_the_provider_call_leaves_the_rest_leased(provider_script, monkeypatch):
    # given: the provider call dies (not an Exception) on the 2nd email
    notifications = pending_notifications(4)
    calls = []
    send = delivery.email_send

    def send_then_die(message):
        calls.append(message.to)
        if len(calls) == 2:
            raise ProcessDied
        return send(message)

    monkeypatch.setattr(delivery, "email_send", send_then_die)

    with pytest.raises(ProcessDied):
        notifications_deliver_pending()

    # then: the 1st is recorded, the one in flight and the rest keep their lease (sent once it
    # expires), and nothing after it reached the provider
    assert statuses(notifications) == [(EmailStatus.SENT, 0)] + [(EmailStatus.PENDING, 0)] * 3
    assert Notification.objects.filter(claimed_until__isnull=False).count() == 3
    assert calls == [[n.member.email] for n in notifications[:2]]


@pytest.mark.django_db
def test_a_guard_stop_mid_batch_sends_nothing_more_and_leaves_the_rest_claimable(smtp_sink):
    # given: the pass's time budget runs out once the 2nd email reached the server
    notifications = pending_notifications(5)
    guard = DeliveryPassGuard(clock=lambda: 0.0 if len(smtp_sink.messages) < 2 else 10.0**9)

    summary = notifications_deliver_pending(guard=guard)

    assert summary.sent == 2 and "time budget" in summary.stopped
    assert statuses(notifications) == [(EmailStatus.SENT, 0)] * 2 + [(EmailStatus.PENDING, 0)] * 3
    assert not Notification.objects.filter(claimed_until__isnull=False).exists()
    assert len(smtp_sink.messages) == 2
