"""Every email a member gets links to their preferences page: notification emails (all kinds),
the verification email, the link email itself; the unsubscribe page links it too."""

import re

import pytest
from django.core import mail
from django.test import Client

from members.emails import verification_email_context, verification_email_render
from members.models import EmailFrequency, Member
from notifications.delivery import notification_deliver
from notifications.digests import digests_send
from notifications.samples import sample_data
from notifications.unsubscribe import unsubscribe_url
from preferences.tokens import preferences_member
from subscriptions.kinds import NotificationKind
from tests.factories import MemberFactory, NotificationFactory
from tests.preferences.conftest import PUBLIC_URL

pytestmark = pytest.mark.django_db
TEXT_LINK = re.compile(rf"Manage notification settings: ({re.escape(PUBLIC_URL)}/preferences/\S+)")
HTML_LINK = re.compile(
    rf'<a href="({re.escape(PUBLIC_URL)}/preferences/[^"]+)"[^>]*>Manage notification settings</a>'
)


def links(text: str, html: str) -> str:
    [from_text] = TEXT_LINK.findall(text)
    [from_html] = HTML_LINK.findall(html)
    assert from_text == from_html
    return from_text


def opens_page_of(link: str) -> Member:
    response = Client().get(link.removeprefix(PUBLIC_URL))
    assert response.status_code == 200
    return preferences_member(link.rsplit("/", 1)[1])


@pytest.mark.parametrize("kind", NotificationKind.values)
def test_every_notification_email_links_the_members_page(kind):
    member = MemberFactory(name="Ada", email="ada@example.org")
    notification = NotificationFactory(member=member, kind=kind, data=sample_data(kind), entity_id="7")
    notification_deliver(notification_id=notification.id)
    [message] = mail.outbox
    link = links(message.body, message.alternatives[0][0])
    assert preferences_member(link.rsplit("/", 1)[1]) == member


def test_the_notification_link_opens_the_page(db):
    member = MemberFactory(name="Ada", email="ada@example.org")
    notification = NotificationFactory(
        member=member, kind="FORUM_POST_MENTION", data=sample_data("FORUM_POST_MENTION")
    )
    notification_deliver(notification_id=notification.id)
    assert opens_page_of(links(mail.outbox[0].body, mail.outbox[0].alternatives[0][0])) == member


def test_the_verification_email_links_the_page_for_the_address_it_verifies(db):
    member = MemberFactory(id=5, name="Ada", email=None, unverified_email="ada@new.example.org")
    context = verification_email_context(
        member=member, email="ada@new.example.org", link="https://p/#/settings?t=x"
    )
    _subject, text, html = verification_email_render(context=context)
    link = links(text, html)
    assert opens_page_of(link) == member
    member.email, member.unverified_email = "ada@new.example.org", None  # verified: still valid
    member.save()
    assert opens_page_of(link) == member


def test_the_unsubscribe_page_links_the_preferences_page(db):
    member = MemberFactory(name="Ada", email="ada@example.org")
    path = unsubscribe_url(member_id=member.id, kind="FORUM_POST_MENTION").removeprefix(PUBLIC_URL)
    for response in (Client().get(path), Client().post(path, {"scope": "kind"})):
        html = response.content.decode()
        [link] = re.findall(r'<a href="(http[^"]+/preferences/[^"]+)">Manage notification settings</a>', html)
        assert opens_page_of(link) == member


def test_a_bad_unsubscribe_link_offers_the_link_request(db):
    response = Client().get("/unsubscribe/forged")
    assert response.status_code == 400
    assert (
        '<a href="/preferences/">get a link to manage notification settings</a>' in response.content.decode()
    )


def test_the_digest_email_links_the_members_page(db):
    member = MemberFactory(name="Ada", email="ada@example.org", email_frequency=EmailFrequency.DAILY)
    NotificationFactory(member=member, kind="FORUM_POST_MENTION", data=sample_data("FORUM_POST_MENTION"))
    digests_send(frequency="DAILY")
    [message] = mail.outbox
    assert opens_page_of(links(message.body, message.alternatives[0][0])) == member
