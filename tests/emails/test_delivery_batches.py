"""Delivery in batches (notifications.delivery): one claim and one write per outcome for a
batch of emails, each email still with its own outcome, and what a crash mid-batch leaves."""

import pytest
from anymail.exceptions import AnymailRecipientsRefused
from django.core import mail

from notifications.delivery import (
    DeliveryOutcome,
    DeliverySummary,
    notifications_deliver,
    notifications_deliver_pending,
)
from notifications.models import EmailStatus, Notification
from notifications.samples import sample_data
from tests.emails.providers import ScriptedBackend, esp_api_error
from tests.factories import MemberFactory, NotificationFactory

pytestmark = pytest.mark.django_db


class ProcessDied(BaseException):
    """Stands for the process dying inside the provider call: no `except Exception` handles
    it, so the batch's transaction rolls back, as PostgreSQL does when a client vanishes."""


def pending_notifications(count: int) -> list[Notification]:
    data = sample_data("FORUM_POST_REPLY")
    return [
        NotificationFactory(member=MemberFactory(), kind="FORUM_POST_REPLY", data=data) for _ in range(count)
    ]


def statuses(notifications: list[Notification]) -> list[tuple[str, int]]:
    rows = Notification.objects.in_bulk([n.id for n in notifications])
    return [(rows[n.id].email_status, rows[n.id].retry_count) for n in notifications]


def test_a_crash_mid_batch_leaves_that_batch_pending_and_keeps_earlier_batches_sent(
    provider_script, monkeypatch
):
    # given: batches of 2; the process dies inside the 4th send, after 3 were accepted
    monkeypatch.setattr("notifications.delivery.DELIVERY_BATCH_SIZE", 2)
    notifications = pending_notifications(5)
    provider_script.extend([None, None, None, ProcessDied()])

    with pytest.raises(ProcessDied):
        notifications_deliver_pending()

    # then: the first batch was recorded; the crashed batch is PENDING as it was before,
    # no attempt counted (the 3rd email, accepted, is the one a crash sends twice); the
    # last batch was never claimed
    assert statuses(notifications) == [
        (EmailStatus.SENT, 0),
        (EmailStatus.SENT, 0),
        (EmailStatus.PENDING, 0),
        (EmailStatus.PENDING, 0),
        (EmailStatus.PENDING, 0),
    ]
    assert [message.to for message in mail.outbox] == [[n.member.email] for n in notifications[:3]]

    # when: the next pass
    summary = notifications_deliver_pending()

    # then: it sends what was not recorded, and never the recorded ones again
    assert summary == DeliverySummary(attempted=3, sent=3)
    assert statuses(notifications) == [(EmailStatus.SENT, 0)] * 5
    sent_to = [message.to[0] for message in mail.outbox]
    assert sent_to.count(notifications[0].member.email) == 1
    assert sent_to.count(notifications[2].member.email) == 2  # at-least-once, bounded by the batch
    assert ScriptedBackend.calls == 7


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
def test_a_pass_makes_the_same_few_queries_however_many_emails_its_batch_holds(
    emails, django_assert_max_num_queries
):
    pending_notifications(emails)
    # the due ids (2: the last id, then the batch), the claim, one write of the sent rows,
    # the savepoint/commit bookkeeping, the empty next batch: none per email
    with django_assert_max_num_queries(7):
        summary = notifications_deliver_pending()
    assert summary.sent == emails
