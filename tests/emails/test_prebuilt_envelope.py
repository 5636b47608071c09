"""A prebuilt email (notifications.email_mime_prebuilt) goes over SMTP with the envelope
Django's SMTP backend would give it, though its addresses are not parsed again per email."""

from email.utils import parseaddr

import pytest
from django.core.mail import get_connection
from django.core.mail.message import sanitize_address

from notifications.email_mime_prebuilt import PrebuiltEmail
from notifications.email_render_cache import NotificationEmailRenderCache
from notifications.emails import email_message_build, notification_email_render
from notifications.samples import sample_data

SENDERS = [
    "Pioneer Notify <notify@example.org>",
    '"Pioneer, the council" <n@example.org>',
    "bare@example.org",
]
RECIPIENTS = ["alice@example.org", "First.Last+tag@Example.ORG", "o'neil@x-y.example.com", "a@b"]


def test_the_envelope_of_a_prebuilt_email_is_the_one_django_sends(smtp_sink, settings):
    cache = NotificationEmailRenderCache()
    data = sample_data("FORUM_POST_REPLY")
    arguments = dict(
        kind="FORUM_POST_REPLY", data=data, member_name="alice", unsubscribe_url="https://n.example/u"
    )
    for sender in SENDERS:
        settings.DEFAULT_FROM_EMAIL = sender
        for to in RECIPIENTS:
            connection = get_connection()
            prebuilt = cache.email(**arguments, preferences_url="", to=to, connection=connection)
            plain = email_message_build(
                rendered=notification_email_render(**arguments, preferences_url=""),
                to=to,
                connection=connection,
            )
            assert isinstance(prebuilt, PrebuiltEmail)
            assert prebuilt.send() == 1 and plain.send() == 1
            connection.close()
    smtp_sink.wait_for(2 * len(SENDERS) * len(RECIPIENTS))
    envelopes = smtp_sink.envelopes
    assert envelopes[0::2] == envelopes[1::2]
    assert [mail_from for mail_from, _ in envelopes[0::2]] == [
        parseaddr(sender)[1] for sender in SENDERS for _ in RECIPIENTS
    ]
    assert [rcpt_tos for _, rcpt_tos in envelopes[0::2]] == [[to] for _ in SENDERS for to in RECIPIENTS]


@pytest.mark.parametrize("to", RECIPIENTS)
def test_a_plain_address_is_what_sanitize_address_makes_of_it(to):
    assert sanitize_address(to, "utf-8") == to


def test_an_address_with_a_domain_label_idna_refuses_is_left_to_django():
    to = f"alice@{'x' * 64}.example"
    email = NotificationEmailRenderCache().email(
        kind="FORUM_POST_REPLY",
        data=sample_data("FORUM_POST_REPLY"),
        member_name="alice",
        unsubscribe_url="",
        preferences_url="",
        to=to,
        connection=get_connection("django.core.mail.backends.smtp.EmailBackend"),
    )
    assert not isinstance(email, PrebuiltEmail)
    with pytest.raises(ValueError):
        sanitize_address(to, "utf-8")
