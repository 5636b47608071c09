"""The send side of deliverability: the provider's message id stored at send, SMTP refusals
suppressing, and a newly verified address lifting a suppression."""

import json
import re

import pytest
from django.core import mail

from members.models import EmailSuppressionReason
from members.tokens import auth_token_issue
from notifications.delivery import DeliveryOutcome, notification_deliver, notifications_deliver
from notifications.models import EmailStatus
from tests.conftest import GraphQLClient
from tests.deliverability.conftest import QUIET_SENDGRID, pending_email, sent_email
from tests.factories import MemberFactory
from tests.smtp_sink import SmtpSink

pytestmark = [pytest.mark.django_db, QUIET_SENDGRID]

UPDATE_EMAIL = "mutation ($email: String) { updateMember(email: $email) { unverifiedEmail } }"
VERIFY_EMAIL = "mutation ($token: String!) { verifyEmail(token: $token) { email } }"
ME = "{ me { email emailDeliverable emailSuppressedReason } }"
TOKEN_IN_LINK = re.compile(r"emailVerificationToken=([A-Za-z0-9_\-.]+)")


def test_the_message_id_stored_at_send_is_the_one_sendgrid_events_carry(sendgrid):
    notification = sent_email(MemberFactory(email="alice@example.org"))

    [(path, body)] = sendgrid.requests
    [personalization] = json.loads(body)["personalizations"]
    assert path == "/v3/mail/send"
    assert personalization["custom_args"]["anymail_id"] == notification.provider_message_id


def test_the_message_id_stored_at_send_is_the_one_mailgun_answered(mailgun):
    first = sent_email(MemberFactory(email="alice@example.org"))
    second = sent_email(MemberFactory(email="bob@example.org"))

    assert [first.provider_message_id, second.provider_message_id] == [
        "<20260101000000.1@mg.example.org>",
        "<20260101000000.2@mg.example.org>",
    ]


@pytest.fixture
def smtp_sink(settings):
    with SmtpSink() as sink:
        for name, value in sink.django_settings().items():
            setattr(settings, name, value)
        yield sink


def test_a_permanent_smtp_refusal_suppresses_the_address(smtp_sink, django_capture_on_commit_callbacks):
    alice = MemberFactory(email="alice@example.org")
    refused = pending_email(alice)
    waiting = pending_email(alice)
    smtp_sink.refuse_recipients = "550 5.1.1 <alice@example.org>: Recipient address rejected: no such user"

    with django_capture_on_commit_callbacks(execute=True):
        outcome = notification_deliver(notification_id=refused.id)

    assert outcome == DeliveryOutcome.FAILED
    alice.refresh_from_db()
    assert alice.email_suppressed_reason == EmailSuppressionReason.BOUNCED
    assert alice.email_suppressed_detail.startswith("SMTP refused the recipient: 550 5.1.1")
    waiting.refresh_from_db()
    assert (waiting.email_status, waiting.last_error) == (
        EmailStatus.IGNORED,
        "Not sent: the address is suppressed (BOUNCED)",
    )
    assert refused.provider_message_id is None  # SMTP has no provider id and no webhooks


def test_a_permanent_smtp_refusal_spares_the_address_its_other_emails_of_the_same_batch(
    smtp_sink, django_capture_on_commit_callbacks
):
    alice = MemberFactory(email="alice@example.org")
    refused, waiting = pending_email(alice), pending_email(alice)
    bob = pending_email(MemberFactory(email="bob@example.org"))
    smtp_sink.refusals = ["550 5.1.1 <alice@example.org>: Recipient address rejected: no such user"]

    with django_capture_on_commit_callbacks(execute=True):
        outcomes = dict(notifications_deliver(notification_ids=[refused.id, waiting.id, bob.id]))

    assert [outcomes[n.id] for n in (refused, waiting, bob)] == [
        DeliveryOutcome.FAILED,
        DeliveryOutcome.SKIPPED,
        DeliveryOutcome.SENT,
    ]
    assert len(smtp_sink.rcpt_times) == 2  # alice was asked for once
    waiting.refresh_from_db()
    assert (waiting.email_status, waiting.last_error) == (
        EmailStatus.IGNORED,
        "Not sent: the address is suppressed (BOUNCED)",
    )


def test_a_temporary_smtp_refusal_only_retries(smtp_sink, django_capture_on_commit_callbacks):
    alice = MemberFactory(email="alice@example.org")
    greylisted = pending_email(alice)
    smtp_sink.refuse_recipients = "450 4.2.0 Greylisted, try again later"

    with django_capture_on_commit_callbacks(execute=True):
        outcome = notification_deliver(notification_id=greylisted.id)

    assert outcome == DeliveryOutcome.RETRYING
    alice.refresh_from_db()
    assert alice.email_deliverable


def test_a_newly_verified_address_lifts_the_suppression_and_mail_flows_again(
    django_capture_on_commit_callbacks, monkeypatch
):
    from pioneer.celery import app

    # The verification email goes out in this process, even when the tests have a broker.
    monkeypatch.setitem(app.conf, "task_always_eager", True)

    # given: alice's address bounced; one email is waiting
    alice = MemberFactory(
        email="alice@example.org",
        email_suppressed_reason=EmailSuppressionReason.BOUNCED,
        email_suppressed_detail="550 5.1.1 no such user",
    )
    client = GraphQLClient(token=auth_token_issue(member_id=alice.id))
    assert client.execute(ME)["me"] == {
        "email": "alice@example.org",
        "emailDeliverable": False,
        "emailSuppressedReason": "BOUNCED",
    }

    # when: she gives a new address and opens the link sent to it
    with django_capture_on_commit_callbacks(execute=True):
        client.execute(UPDATE_EMAIL, {"email": "alice@new.example.org"})
    [verification] = mail.outbox
    assert verification.to == ["alice@new.example.org"]
    [token] = set(TOKEN_IN_LINK.findall(verification.body))
    client.execute(VERIFY_EMAIL, {"token": token})

    # then: deliverable again, and the next notification is sent to the new address
    assert client.execute(ME)["me"] == {
        "email": "alice@new.example.org",
        "emailDeliverable": True,
        "emailSuppressedReason": None,
    }
    notification = pending_email(alice)
    assert notification_deliver(notification_id=notification.id) == DeliveryOutcome.SENT
    assert mail.outbox[-1].to == ["alice@new.example.org"]
    alice.refresh_from_db()
    assert alice.email_suppressed_detail == "" and alice.email_deliverable_since is not None
