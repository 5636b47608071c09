"""Delivery attempts and their bookkeeping (docs/api-contract.md, "Retry bookkeeping"), ESP scripted."""

import smtplib
import threading

import pytest
from anymail.exceptions import AnymailRecipientsRefused
from django.core import mail
from django.db import connection

from notifications.delivery import (
    DeliveryOutcome,
    DeliverySummary,
    notification_deliver,
    notifications_deliver_pending,
)
from notifications.models import EmailStatus
from notifications.samples import sample_data
from tests.emails.providers import ScriptedBackend, esp_api_error
from tests.factories import MemberFactory, NotificationFactory, SubscriptionFactory
from tests.services import require_postgres

pytestmark = pytest.mark.django_db


def pending_notification(**member_fields):
    member = MemberFactory(**member_fields)
    return NotificationFactory(member=member, kind="FORUM_POST_REPLY", data=sample_data("FORUM_POST_REPLY"))


def state(notification) -> tuple[str, int]:
    notification.refresh_from_db()
    return notification.email_status, notification.retry_count


def test_transient_failures_count_up_then_fail(provider_script, no_backoff):
    # given: the ESP answers 503 to every attempt
    notification = pending_notification()
    provider_script.extend([esp_api_error(503)] * 4)

    # when / then: one attempt per pass, as `notify` makes
    seen = []
    for _ in range(4):
        notifications_deliver_pending()
        seen.append(state(notification))
    assert seen == [
        (EmailStatus.PENDING, 1),
        (EmailStatus.PENDING, 2),
        (EmailStatus.PENDING, 3),
        (EmailStatus.FAILED, 3),
    ]
    assert "503" in notification.last_error and "AnymailRequestsAPIError" in notification.last_error
    assert ScriptedBackend.calls == 4 and mail.outbox == []
    # a FAILED email is never attempted again by later passes
    assert notifications_deliver_pending() == DeliverySummary()
    assert ScriptedBackend.calls == 4


def test_success_after_failures_is_sent_and_keeps_the_count(provider_script, no_backoff):
    notification = pending_notification()
    provider_script.extend([esp_api_error(429), TimeoutError("read timed out"), None])
    summaries = [notifications_deliver_pending() for _ in range(3)]
    assert state(notification) == (EmailStatus.SENT, 2)
    assert notification.sent_at is not None
    assert [s.retrying for s in summaries] == [1, 1, 0] and summaries[-1].sent == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "error",
    [
        AnymailRecipientsRefused("All message recipients were rejected or invalid"),
        esp_api_error(400),
        smtplib.SMTPRecipientsRefused({"bob@example.org": (550, b"5.1.1 No such user")}),
    ],
    ids=["recipients-refused", "http-400", "smtp-550"],
)
def test_permanent_failure_is_final_at_once(provider_script, error):
    notification = pending_notification()
    provider_script.append(error)
    summary = notifications_deliver_pending()
    assert state(notification) == (EmailStatus.FAILED, 0)
    assert type(error).__name__ in notification.last_error
    assert summary == DeliverySummary(attempted=1, failed=1)
    notifications_deliver_pending()
    assert ScriptedBackend.calls == 1


def test_greylisting_answer_is_transient(provider_script):
    notification = pending_notification()
    provider_script.append(smtplib.SMTPRecipientsRefused({"bob@example.org": (451, b"4.7.1 Try later")}))
    notifications_deliver_pending()
    assert state(notification) == (EmailStatus.PENDING, 1)


@pytest.mark.parametrize(
    "member_fields", [{"email": None}, {"receive_emails": False}], ids=["unverified", "emails-off"]
)
def test_member_who_cannot_receive_email_at_send_time_is_ignored(member_fields):
    notification = pending_notification(**member_fields)
    assert notification_deliver(notification_id=notification.id) == DeliveryOutcome.IGNORED
    assert state(notification) == (EmailStatus.IGNORED, 0)
    assert mail.outbox == [] and ScriptedBackend.calls == 0


def test_only_pending_rows_are_sent():
    done = [
        NotificationFactory(email_status=status)
        for status in (EmailStatus.SENT, EmailStatus.FAILED, EmailStatus.IGNORED)
    ]
    for notification in done:
        assert notification_deliver(notification_id=notification.id) == DeliveryOutcome.SKIPPED
    assert notification_deliver(notification_id=987654) == DeliveryOutcome.SKIPPED
    assert mail.outbox == []


def test_pass_reports_progress_per_batch_and_a_summary(provider_script, monkeypatch):
    monkeypatch.setattr("notifications.delivery.DELIVERY_BATCH_SIZE", 2)
    notifications = [pending_notification() for _ in range(5)]
    notifications.append(pending_notification(receive_emails=False))
    provider_script.extend([None, esp_api_error(502)])
    progress = []
    summary = notifications_deliver_pending(on_progress=progress.append)
    assert summary == DeliverySummary(attempted=5, sent=4, retrying=1, ignored=1)
    assert [p.attempted + p.ignored for p in progress] == [2, 4, 6]
    assert len(mail.outbox) == 4


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_deliveries_send_once(settings):
    require_postgres()
    # given: the first delivery is inside the provider call, holding the row
    settings.EMAIL_BACKEND = "tests.emails.providers.PausingBackend"
    from tests.emails.providers import PausingBackend

    notification = pending_notification()
    outcomes = []

    def deliver():
        try:
            outcomes.append(notification_deliver(notification_id=notification.id))
        finally:
            connection.close()

    first = threading.Thread(target=deliver)
    first.start()
    assert PausingBackend.entered.wait(timeout=20)

    # when: a second worker tries the same notification meanwhile
    second = threading.Thread(target=deliver)
    second.start()
    second.join(timeout=20)

    # then: it passes by without sending; the first one finishes the send
    assert outcomes == [DeliveryOutcome.SKIPPED]
    PausingBackend.release.set()
    first.join(timeout=20)
    assert outcomes == [DeliveryOutcome.SKIPPED, DeliveryOutcome.SENT]
    assert len(mail.outbox) == 1
    assert state(notification) == (EmailStatus.SENT, 0)
    assert notification_deliver(notification_id=notification.id) == DeliveryOutcome.SKIPPED
    assert len(mail.outbox) == 1


def test_a_waiting_email_obeys_an_email_opt_out_made_after_it_was_created():
    # given: a PENDING reply email, then the member turns email off for replies (e.g. one-click)
    notification = pending_notification()
    SubscriptionFactory(member=notification.member, kind="FORUM_POST_REPLY", should_notify_by_email=False)
    untouched = pending_notification()

    # when
    notifications_deliver_pending()

    # then: no email for the opted-out kind; others still go out
    assert state(notification) == (EmailStatus.IGNORED, 0)
    assert state(untouched) == (EmailStatus.SENT, 0)
    assert [message.to for message in mail.outbox] == [[untouched.member.email]]


def test_a_waiting_email_of_a_watch_obeys_that_watch_only():
    member = MemberFactory()
    SubscriptionFactory(
        member=member, kind="FORUM_THREAD_ENTITY_POST", entity_id="12", should_notify_by_email=False
    )
    data = sample_data("FORUM_THREAD_ENTITY_POST")
    quiet = NotificationFactory(
        member=member, kind="FORUM_THREAD_ENTITY_POST", data={**data, "watched": {"id": "12"}}
    )
    other = NotificationFactory(
        member=member, kind="FORUM_THREAD_ENTITY_POST", data={**data, "watched": {"id": "13"}}
    )

    notifications_deliver_pending()

    assert state(quiet)[0] == EmailStatus.IGNORED
    assert state(other)[0] == EmailStatus.SENT


def test_a_rendering_bug_is_recorded_and_retried_like_a_send_failure(monkeypatch, provider_script):
    notification = pending_notification()

    def broken_render(**kwargs):
        raise ValueError("template blew up")

    monkeypatch.setattr("notifications.email_render_cache.notification_email_render", broken_render)

    assert notification_deliver(notification_id=notification.id) == DeliveryOutcome.RETRYING
    assert state(notification) == (EmailStatus.PENDING, 1)
    assert notification.last_error == "ValueError: template blew up"
    assert notification.next_attempt_at is not None and ScriptedBackend.calls == 0
