"""The SMTP path against a local SMTP server, and `manage.py mockemail`."""

import pytest
from django.core.management import CommandError, call_command

from notifications.delivery import DeliveryOutcome, notification_deliver
from notifications.models import EmailStatus
from notifications.samples import sample_data
from subscriptions.kinds import NotificationKind
from tests.factories import MemberFactory, NotificationFactory


@pytest.mark.django_db
def test_notification_email_over_smtp(smtp_sink):
    member = MemberFactory(name="Ada", email="ada@example.org")
    notification = NotificationFactory(
        member=member, kind="FORUM_POST_REPLY", data=sample_data("FORUM_POST_REPLY")
    )

    assert notification_deliver(notification_id=notification.id) == DeliveryOutcome.SENT

    [message] = smtp_sink.wait_for(1)
    assert smtp_sink.envelopes[0][1] == ["ada@example.org"]
    assert "Storage provider rewards for Q3" in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # (a long header is folded after the colon; unfolded it is the bare <url>)
    assert message["List-Unsubscribe"].strip().startswith("<https://notify.example.org/unsubscribe/")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = "https://pioneer.example.org/#/forum/thread/412?post=5120"
    assert link in text and link in html and "Hi Ada," in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reply", "status", "retry_count"),
    [
        ("550 5.1.1 No such user", EmailStatus.FAILED, 0),
        ("450 4.2.0 Greylisted, try again", EmailStatus.PENDING, 1),
    ],
    ids=["permanent-550", "transient-450"],
)
def test_smtp_recipient_refusals(smtp_sink, reply, status, retry_count):
    smtp_sink.refuse_recipients = reply
    notification = NotificationFactory(data=sample_data("FORUM_POST_MENTION"))
    notification_deliver(notification_id=notification.id)
    notification.refresh_from_db()
    assert (notification.email_status, notification.retry_count) == (status, retry_count)
    assert reply.split()[0] in notification.last_error


@pytest.mark.django_db
def test_smtp_server_down_is_transient(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 5
    notification = NotificationFactory(data=sample_data("FORUM_POST_MENTION"))
    assert notification_deliver(notification_id=notification.id) == DeliveryOutcome.RETRYING
    notification.refresh_from_db()
    assert notification.retry_count == 1 and "ConnectionRefusedError" in notification.last_error


@pytest.mark.parametrize("kind", NotificationKind.values)
def test_mockemail_sends_a_sample_of_every_kind(smtp_sink, kind, capsys):
    call_command("mockemail", "someone@example.org", kind)
    [message] = smtp_sink.wait_for(1)
    assert message["To"] == "someone@example.org"
    assert message.get_body(("html",)) is not None and message.get_body(("plain",)) is not None
    assert message["List-Unsubscribe"]
    assert f"Sent a {kind} sample to someone@example.org" in capsys.readouterr().out


def test_mockemail_defaults_to_a_forum_mention(smtp_sink):
    call_command("mockemail", "someone@example.org")
    [message] = smtp_sink.wait_for(1)
    assert message["Subject"] == "bedeho mentioned you in Storage provider rewards for Q3"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["not-an-address"], "'not-an-address' is not a valid email address"),
        (["someone@example.org", "FORUM_POST_EVERYTHING"], "unknown kind 'FORUM_POST_EVERYTHING'"),
    ],
)
def test_mockemail_rejects_bad_input_clearly(args, error):
    with pytest.raises(CommandError, match=error):
        call_command("mockemail", *args)


def test_mockemail_reports_a_provider_failure_in_one_line(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 5
    with pytest.raises(CommandError, match="sending failed: ConnectionRefusedError"):
        call_command("mockemail", "someone@example.org")


@pytest.mark.parametrize("digest", ["daily", "weekly"])
def test_mockemail_sends_a_sample_digest(smtp_sink, digest, capsys):
    from notifications.digest_samples import DIGEST_SAMPLE_FREQUENCIES, sample_digest_kinds

    call_command("mockemail", "someone@example.org", "--digest", digest)

    [message] = smtp_sink.wait_for(1)
    count = len(sample_digest_kinds(DIGEST_SAMPLE_FREQUENCIES[digest]))
    assert message["Subject"] == f"Your {digest} Pioneer digest: {count} new notifications"
    assert message["List-Unsubscribe"]
    assert "Storage provider rewards for Q3" in message.get_body(("plain",)).get_content()
    assert f"Sent a {digest} digest sample to someone@example.org" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["someone@example.org", "FORUM_POST_REPLY", "--digest", "daily"], "a KIND or --digest, not both"),
        (["someone@example.org", "--digest", "monthly"], "invalid choice: 'monthly'"),
    ],
)
def test_mockemail_digest_rejects_bad_input_clearly(args, error):
    with pytest.raises(CommandError, match=error):
        call_command("mockemail", *args)
