"""The per-event render cache (notifications.email_render_cache) makes the very email the
plain render makes, for every kind, whatever the member's name and links hold."""

import re
from email import message_from_bytes
from email.utils import parsedate_to_datetime as parse_date

import pytest
from django.core.mail import get_connection

from notifications.email_mime_prebuilt import PrebuiltEmail
from notifications.email_render_cache import NotificationEmailRenderCache
from notifications.emails import email_message_build, notification_email_render
from notifications.samples import sample_data, sample_kinds

MEMBERS = [
    # name, unsubscribe link, preferences link
    (
        "alice",
        "https://notify.example.org/unsubscribe/abc:def/",
        "https://notify.example.org/preferences/x:y/",
    ),
    ('Bob <b>&amp; "Co" \'s', "https://n.example/u/?a=1&b=<2>", ""),
    ("", "", "https://n.example/p/?t=1&u=2"),
]


@pytest.mark.parametrize("kind", sample_kinds())
def test_the_cached_render_is_the_plain_render_for_every_kind_and_member(kind):
    cache = NotificationEmailRenderCache()
    data = sample_data(kind)
    for _ in range(2):  # the second round comes from the cache
        for name, unsubscribe, preferences in MEMBERS:
            arguments = dict(
                kind=kind,
                data=data,
                member_name=name,
                unsubscribe_url=unsubscribe,
                preferences_url=preferences,
            )
            assert cache.render(**arguments) == notification_email_render(**arguments)


def test_one_render_per_event_and_links_present(monkeypatch):
    renders = []
    real = notification_email_render
    monkeypatch.setattr(
        "notifications.email_render_cache.notification_email_render",
        lambda **kwargs: renders.append(kwargs["kind"]) or real(**kwargs),
    )
    cache = NotificationEmailRenderCache()
    reply, mention = sample_data("FORUM_POST_REPLY"), sample_data("FORUM_POST_MENTION")
    for member in range(10):
        cache.render(
            kind="FORUM_POST_REPLY", data=reply, member_name=f"m{member}", unsubscribe_url=f"u{member}"
        )
    cache.render(kind="FORUM_POST_MENTION", data=mention, member_name="m", unsubscribe_url="u")
    # a member without the preferences link gets an email without its line: another skeleton
    cache.render(
        kind="FORUM_POST_REPLY", data=reply, member_name="m", unsubscribe_url="u", preferences_url="p"
    )
    assert renders == ["FORUM_POST_REPLY", "FORUM_POST_MENTION", "FORUM_POST_REPLY"]


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
ADDRESSES = ["member0@example.org", "First.Last+tag@Example.ORG", "o'neil@x-y.example.com", "m3@example.org"]


def normalized(data: bytes) -> bytes:
    """The bytes without what differs between any two emails: Date, Message-ID, boundary."""
    boundary = re.search(rb'boundary="([^"]+)"', data).group(1)
    data = re.sub(rb"\r\nDate: [^\r]*", b"\r\nDate: -", data.replace(boundary, b"BOUNDARY"))
    return re.sub(rb"\r\nMessage-ID: [^\r]*", b"\r\nMessage-ID: -", data)


def smtp_bytes(message) -> bytes:
    return message.message().as_bytes(linesep="\r\n")


@pytest.mark.parametrize("kind", sample_kinds())
def test_the_prebuilt_mime_bytes_are_the_ones_django_makes_for_every_kind(kind, settings):
    settings.EMAIL_UNSUBSCRIBE_MAILTO = "unsubscribe@example.org"
    connection = get_connection(SMTP_BACKEND)
    cache = NotificationEmailRenderCache()
    data = sample_data(kind)
    members = [*MEMBERS, ("José", "https://n.example/u/1", "")]  # not ASCII: built the usual way
    for _ in range(2):
        for number, (name, unsubscribe, preferences) in enumerate(members):
            arguments = dict(kind=kind, data=data, member_name=name, unsubscribe_url=unsubscribe)
            to = ADDRESSES[number]
            email = cache.email(**arguments, preferences_url=preferences, to=to, connection=connection)
            plain = email_message_build(
                rendered=notification_email_render(**arguments, preferences_url=preferences), to=to
            )
            assert isinstance(email, PrebuiltEmail) == name.isascii()
            assert normalized(smtp_bytes(email)) == normalized(smtp_bytes(plain))
            # what Anymail and the outbox read is the same too
            assert (email.subject, email.body, email.alternatives, email.extra_headers, email.to) == (
                plain.subject,
                plain.body,
                plain.alternatives,
                plain.extra_headers,
                plain.to,
            )


def test_each_prebuilt_email_has_its_own_date_message_id_and_boundary():
    connection = get_connection(SMTP_BACKEND)
    cache = NotificationEmailRenderCache()
    data = sample_data("FORUM_POST_REPLY")
    sent = [
        message_from_bytes(
            smtp_bytes(
                cache.email(
                    kind="FORUM_POST_REPLY",
                    data=data,
                    member_name="alice",
                    unsubscribe_url="https://n.example/u/1",
                    preferences_url="",
                    to="alice@example.org",
                    connection=connection,
                )
            )
        )
        for _ in range(2)
    ]
    assert sent[0]["Message-ID"] != sent[1]["Message-ID"]
    assert sent[0].get_boundary() != sent[1].get_boundary()
    assert all(parse_date(message["Date"]) is not None for message in sent)
    assert [part.get_content_type() for part in sent[0].walk()] == [
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]


@pytest.mark.django_db
def test_a_thread_renders_an_event_once_across_delivery_batches_until_a_setting_changes(
    monkeypatch, settings
):
    """A Celery task is one batch: the worker thread's cache carries the event to the next task."""
    from django.core import mail

    from notifications.delivery import notifications_deliver
    from tests.factories import MemberFactory, NotificationFactory

    renders = []
    real = notification_email_render
    monkeypatch.setattr(
        "notifications.email_render_cache.notification_email_render",
        lambda **kwargs: renders.append(kwargs["kind"]) or real(**kwargs),
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    data = sample_data("FORUM_POST_REPLY")

    def task() -> None:  # what one deliver_notifications task does with its ids
        notification = NotificationFactory(
            member=MemberFactory(email="m@example.org"), kind="FORUM_POST_REPLY", data=data
        )
        dict(notifications_deliver(notification_ids=[notification.id]))

    task()
    task()
    assert renders == ["FORUM_POST_REPLY"]
    assert len(mail.outbox) == 2

    settings.PIONEER_URL = "https://another.example.org"  # what the email shows may differ now
    task()
    assert renders == ["FORUM_POST_REPLY"] * 2
