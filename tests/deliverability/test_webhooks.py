"""The providers' tracking webhooks, posted as SendGrid and Mailgun post them, through Anymail's
own views (basic auth, Mailgun's signature) to the `tracking` signal and its receiver."""

import logging
import time
from datetime import UTC, datetime

import pytest
from django.test import Client

from members.models import EmailSuppressionReason
from members.suppression import members_email_suppression_lift
from members.tokens import auth_token_issue
from notifications.delivery import DeliveryOutcome, notification_deliver
from notifications.models import EmailEvent, EmailStatus
from tests.conftest import GraphQLClient
from tests.deliverability.conftest import QUIET_SENDGRID, pending_email, sent_email
from tests.deliverability.payloads import (
    MAILGUN_SIGNING_KEY,
    basic_auth,
    mailgun_event,
    mailgun_post,
    sendgrid_event,
    sendgrid_post,
)
from tests.factories import MemberFactory

pytestmark = [pytest.mark.django_db, QUIET_SENDGRID]

ME = "{ me { id email emailDeliverable emailSuppressedReason } }"


def me(member) -> dict:
    return GraphQLClient(token=auth_token_issue(member_id=member.id)).execute(ME)["me"]


def at(timestamp: int) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


def test_sendgrid_hard_bounce_suppresses_the_address_and_ignores_its_pending_mail(sendgrid):
    # given: one email sent through SendGrid, another waiting, and someone else's waiting
    alice = MemberFactory(email="alice@example.org")
    sent = sent_email(alice)
    waiting = pending_email(alice)
    bob_waiting = pending_email(MemberFactory(email="bob@example.org"))
    bounced_at = int(time.time())

    # when: SendGrid reports the hard bounce
    bounce = sendgrid_event(
        "bounce",
        email="alice@example.org",
        anymail_id=sent.provider_message_id,
        timestamp=bounced_at,
        type="bounce",
        status="5.1.1",
        reason="550 5.1.1 The email account that you tried to reach does not exist",
    )
    response = sendgrid_post(Client(), [bounce])

    # then
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.email_suppressed_reason == EmailSuppressionReason.BOUNCED
    assert alice.email_suppressed_at == at(bounced_at)
    assert "5.1.1 The email account" in alice.email_suppressed_detail
    waiting.refresh_from_db()
    assert waiting.email_status == EmailStatus.IGNORED
    assert waiting.last_error == "Not sent: the address is suppressed (BOUNCED)"
    bob_waiting.refresh_from_db()
    assert bob_waiting.email_status == EmailStatus.PENDING
    [event] = EmailEvent.objects.all()
    assert (event.notification_id, event.event_type, event.esp_name) == (sent.id, "bounced", "SendGrid")
    assert me(alice) == {
        "id": alice.id,
        "email": "alice@example.org",
        "emailDeliverable": False,
        "emailSuppressedReason": "BOUNCED",
    }

    # and: a notification made later is not sent either
    requests_before = len(sendgrid.requests)
    later = pending_email(alice)
    assert notification_deliver(notification_id=later.id) == DeliveryOutcome.IGNORED
    later.refresh_from_db()
    assert later.last_error == "Not sent: the address is suppressed (BOUNCED)"
    assert len(sendgrid.requests) == requests_before


@pytest.mark.parametrize(
    ("event", "fields", "reason"),
    [
        ("complained", {}, EmailSuppressionReason.COMPLAINED),
        ("unsubscribed", {}, EmailSuppressionReason.UNSUBSCRIBED),
        (
            "failed",
            {
                "severity": "permanent",
                "reason": "bounce",
                "delivery-status": {"code": 550, "message": "5.1.1 No such mailbox", "description": ""},
            },
            EmailSuppressionReason.BOUNCED,
        ),
        ("rejected", {"reject": {"reason": "Sending to this address is not allowed"}}, "REJECTED"),
    ],
)
def test_mailgun_events_that_suppress(mailgun, event, fields, reason):
    alice = MemberFactory(email="alice@example.org")
    sent = sent_email(alice)
    waiting = pending_email(alice)

    body = mailgun_event(event, recipient="alice@example.org", message_id=sent.provider_message_id, **fields)
    response = mailgun_post(Client(), body)

    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.email_suppressed_reason == reason
    waiting.refresh_from_db()
    assert (waiting.email_status, waiting.last_error) == (
        EmailStatus.IGNORED,
        f"Not sent: the address is suppressed ({reason})",
    )
    assert EmailEvent.objects.get().notification_id == sent.id
    assert me(alice)["emailSuppressedReason"] == reason


def test_delivered_opened_and_clicked_are_recorded_earliest_first_in_any_order(sendgrid):
    alice = MemberFactory(email="alice@example.org")
    sent = sent_email(alice)
    t0 = int(time.time()) - 100
    mid = sent.provider_message_id

    def event(kind, timestamp, **fields):
        return sendgrid_event(kind, email="alice@example.org", anymail_id=mid, timestamp=timestamp, **fields)

    # when: one SendGrid post with a batch, then an earlier open arriving late, then a later one
    batch = [
        event("delivered", t0, response="250 2.0.0 OK"),
        event("open", t0 + 20, useragent="Mozilla/5.0"),
        event("click", t0 + 30, url="https://pioneer.example.org/#/forum"),
    ]
    assert sendgrid_post(Client(), batch).status_code == 200
    assert sendgrid_post(Client(), [event("open", t0 + 10)]).status_code == 200
    assert sendgrid_post(Client(), [event("open", t0 + 50)]).status_code == 200

    # then
    sent.refresh_from_db()
    assert (sent.delivered_at, sent.opened_at, sent.clicked_at) == (at(t0), at(t0 + 10), at(t0 + 30))
    assert list(sent.email_events.values_list("event_type", flat=True)) == [
        "delivered",
        "opened",
        "opened",
        "clicked",
        "opened",
    ]
    alice.refresh_from_db()
    assert alice.email_deliverable and sent.email_status == EmailStatus.SENT


def test_mailgun_delivered_and_opened_are_recorded(mailgun):
    alice = MemberFactory(email="alice@example.org")
    sent = sent_email(alice)
    assert sent.provider_message_id == "<20260101000000.1@mg.example.org>"
    t0 = int(time.time()) - 60

    for event, timestamp in (("delivered", t0), ("opened", t0 + 5)):
        body = mailgun_event(
            event, recipient="alice@example.org", message_id=sent.provider_message_id, timestamp=timestamp
        )
        assert mailgun_post(Client(), body).status_code == 200

    sent.refresh_from_db()
    assert (sent.delivered_at, sent.opened_at, sent.clicked_at) == (at(t0), at(t0 + 5), None)


def test_replayed_webhooks_change_nothing(sendgrid):
    # given: a bounce was received and an operator lifted the suppression since
    alice = MemberFactory(email="alice@example.org")
    sent = sent_email(alice)
    bounce = sendgrid_event("bounce", email="alice@example.org", anymail_id=sent.provider_message_id)
    assert sendgrid_post(Client(), [bounce]).status_code == 200
    assert members_email_suppression_lift(member_ids=[alice.id]) == 1

    # when: SendGrid posts the same event again (it retries until it sees a 2xx)
    response = sendgrid_post(Client(), [bounce, bounce])

    # then: acknowledged, stored once, and the address stays deliverable
    assert response.status_code == 200
    assert EmailEvent.objects.count() == 1
    alice.refresh_from_db()
    assert alice.email_deliverable


def test_replayed_mailgun_webhook_is_stored_once(mailgun):
    alice = MemberFactory(email="alice@example.org")
    sent = sent_email(alice)
    body = mailgun_event("opened", recipient="alice@example.org", message_id=sent.provider_message_id)

    responses = [mailgun_post(Client(), body).status_code for _ in range(3)]

    assert responses == [200, 200, 200]
    assert EmailEvent.objects.count() == 1


def test_a_bounce_older_than_the_latest_lift_does_not_suppress_again(sendgrid):
    # given: an email sent, then (for another reason) a suppression an operator lifted
    alice = MemberFactory(
        email="alice@example.org", email_suppressed_reason=EmailSuppressionReason.COMPLAINED
    )
    sent = sent_email(MemberFactory(email="alice@example.org"))
    assert members_email_suppression_lift(member_ids=[alice.id]) == 1
    alice.refresh_from_db()
    stale = int(alice.email_deliverable_since.timestamp()) - 60

    # when: a bounce from before the lift arrives late

    bounce = sendgrid_event(
        "bounce", email="alice@example.org", anymail_id=sent.provider_message_id, timestamp=stale
    )
    assert sendgrid_post(Client(), [bounce]).status_code == 200

    # then: it is history, but the lifted member stays deliverable (the other, never lifted, not)
    alice.refresh_from_db()
    assert alice.email_deliverable
    assert EmailEvent.objects.get().notification_id == sent.id
    sent.member.refresh_from_db()
    assert sent.member.email_suppressed_reason == EmailSuppressionReason.BOUNCED


def test_events_for_unknown_messages_are_acknowledged_and_logged(sendgrid, caplog):
    alice = MemberFactory(email="alice@example.org")
    nobody = sendgrid_event("delivered", email="carol@example.net", anymail_id="not-one-of-ours")
    # e.g. the verification email, which is no notification: its bounce still counts for the address
    alice_bounce = sendgrid_event("bounce", email="Alice@Example.org", anymail_id="also-unknown")

    with caplog.at_level(logging.WARNING, logger="notifications"):
        response = sendgrid_post(Client(), [nobody, alice_bounce])

    assert response.status_code == 200
    assert list(EmailEvent.objects.values_list("notification_id", "recipient")) == [
        (None, "carol@example.net"),
        (None, "alice@example.org"),
    ]
    assert "for a message we do not know ('not-one-of-ours')" in caplog.text
    alice.refresh_from_db()
    assert alice.email_suppressed_reason == EmailSuppressionReason.BOUNCED


@pytest.mark.parametrize(
    "auth",
    [{}, basic_auth("anymail-hook:wrong"), basic_auth("someone:else")],
    ids=["no-auth", "wrong-password", "wrong-user"],
)
def test_sendgrid_posts_without_the_webhook_secret_are_refused(sendgrid, auth):
    alice = MemberFactory(email="alice@example.org")
    sent = sent_email(alice)
    waiting = pending_email(alice)
    bounce = sendgrid_event("bounce", email="alice@example.org", anymail_id=sent.provider_message_id)

    response = sendgrid_post(Client(), [bounce], auth=auth)

    assert response.status_code == 400  # Anymail's answer to a failed validation
    assert_nothing_changed(alice, waiting)


@pytest.mark.parametrize(
    "tamper",
    ["other-signing-key", "no-basic-auth", "edited-after-signing"],
)
def test_mailgun_posts_with_a_bad_signature_or_auth_are_refused(mailgun, tamper):
    alice = MemberFactory(email="alice@example.org")
    sent = sent_email(alice)
    waiting = pending_email(alice)
    key = "key-someone-elses-signing-key" if tamper == "other-signing-key" else MAILGUN_SIGNING_KEY
    body = mailgun_event(
        "complained", recipient="alice@example.org", message_id=sent.provider_message_id, signing_key=key
    )
    if tamper == "edited-after-signing":
        body["signature"]["timestamp"] = str(int(body["signature"]["timestamp"]) + 1)

    response = mailgun_post(Client(), body, auth={} if tamper == "no-basic-auth" else None)

    assert response.status_code == 400
    assert_nothing_changed(alice, waiting)


def assert_nothing_changed(member, waiting) -> None:
    member.refresh_from_db()
    waiting.refresh_from_db()
    assert member.email_deliverable and member.email_suppressed_at is None
    assert waiting.email_status == EmailStatus.PENDING
    assert EmailEvent.objects.count() == 0


def test_soft_bounces_only_count_until_enough_emails_in_a_row(sendgrid, settings):
    settings.EMAIL_SOFT_BOUNCE_LIMIT = 3
    alice = MemberFactory(email="alice@example.org")
    first, second, third, fourth = (sent_email(alice) for _ in range(4))
    t0 = int(time.time()) - 1000

    def deferred(notification, timestamp):
        return sendgrid_event(
            "deferred",
            email="alice@example.org",
            anymail_id=notification.provider_message_id,
            timestamp=timestamp,
            response="451 4.7.1 Greylisted, try again later",
            attempt="1",
        )

    def post(*events):
        assert sendgrid_post(Client(), list(events)).status_code == 200
        alice.refresh_from_db()
        return alice.email_suppressed_reason

    # one email deferred many times is one soft bounce; a delivery starts the count again
    assert post(deferred(first, t0), deferred(first, t0 + 1), deferred(first, t0 + 2)) == ""
    assert post(deferred(second, t0 + 3)) == ""
    delivered = sendgrid_event(
        "delivered", email="alice@example.org", anymail_id=second.provider_message_id, timestamp=t0 + 4
    )
    assert post(delivered) == ""
    assert post(deferred(third, t0 + 5), deferred(fourth, t0 + 6)) == ""
    waiting = pending_email(alice)

    # the third email in a row since the delivery suppresses the address
    assert post(deferred(first, t0 + 7)) == EmailSuppressionReason.BOUNCED
    assert "3 emails in a row soft-bounced" in alice.email_suppressed_detail
    waiting.refresh_from_db()
    assert waiting.email_status == EmailStatus.IGNORED
