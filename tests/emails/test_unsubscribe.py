"""One-click unsubscribe: POST without login (RFC 8058), the GET page, bad tokens."""

from io import StringIO

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client

from notifications.delivery import notification_deliver
from notifications.models import EmailStatus, Notification
from notifications.samples import sample_data
from notifications.unsubscribe import (
    UNSUBSCRIBE_SALT,
    InvalidUnsubscribeToken,
    unsubscribe_token_decode,
    unsubscribe_token_issue,
    unsubscribe_url,
)
from subscriptions.models import Subscription
from tests.emails.conftest import PUBLIC_URL
from tests.factories import MemberFactory, NotificationFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db
ONE_CLICK_BODY = "List-Unsubscribe=One-Click"


def path_of(url: str) -> str:
    assert url.startswith(PUBLIC_URL)
    return url.removeprefix(PUBLIC_URL)


def one_click(url: str):
    # What Gmail/Yahoo send: a POST with this exact form body, no cookies, no CSRF token.
    client = Client(enforce_csrf_checks=True)
    return client.post(path_of(url), data=ONE_CLICK_BODY, content_type="application/x-www-form-urlencoded")


def test_one_click_from_a_delivered_email_turns_off_that_kind_only():
    # given: a delivered email and an existing in-app subscription of another kind
    member = MemberFactory(name="Ada")
    SubscriptionFactory(member=member, kind="FORUM_POST_ALL", should_notify=True)
    notification = NotificationFactory(
        member=member, kind="FORUM_POST_MENTION", data=sample_data("FORUM_POST_MENTION")
    )
    notification_deliver(notification_id=notification.id)
    header = mail.outbox[0].extra_headers["List-Unsubscribe"]

    # when
    response = one_click(header[1:-1])

    # then
    assert response.status_code == 200
    mention = Subscription.objects.get(member=member, kind="FORUM_POST_MENTION", entity_id=None)
    assert (mention.should_notify, mention.should_notify_by_email) == (True, False)
    other = Subscription.objects.get(member=member, kind="FORUM_POST_ALL")
    assert other.should_notify_by_email is True
    member.refresh_from_db()
    assert member.receive_emails is True


def test_one_click_keeps_the_in_app_choice_of_an_existing_subscription():
    member = MemberFactory()
    SubscriptionFactory(member=member, kind="FORUM_THREAD_ALL", should_notify=False)
    assert one_click(unsubscribe_url(member_id=member.id, kind="FORUM_THREAD_ALL")).status_code == 200
    subscription = Subscription.objects.get(member=member, kind="FORUM_THREAD_ALL")
    assert (subscription.should_notify, subscription.should_notify_by_email) == (False, False)
    # clicking twice is harmless
    assert one_click(unsubscribe_url(member_id=member.id, kind="FORUM_THREAD_ALL")).status_code == 200
    assert Subscription.objects.filter(member=member).count() == 1


def test_entity_kind_stops_email_for_that_watched_entity_only():
    member = MemberFactory()
    watched = SubscriptionFactory(member=member, kind="FORUM_THREAD_ENTITY_POST", entity_id="12")
    other = SubscriptionFactory(member=member, kind="FORUM_THREAD_ENTITY_POST", entity_id="13")
    url = unsubscribe_url(member_id=member.id, kind="FORUM_THREAD_ENTITY_POST", entity_id="12")
    assert one_click(url).status_code == 200
    watched.refresh_from_db()
    other.refresh_from_db()
    assert (watched.should_notify, watched.should_notify_by_email) == (True, False)
    assert other.should_notify_by_email is True


def test_get_shows_a_confirmation_page_and_all_emails_turns_everything_off():
    member = MemberFactory(name="Grace Hopper")
    url = unsubscribe_url(member_id=member.id, kind="PROPOSAL_DISCUSSION_REPLY")
    client = Client(enforce_csrf_checks=True)

    page = client.get(path_of(url))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Grace Hopper" in html
    assert "replies to my proposal discussion posts" in html
    assert 'value="kind"' in html and 'value="all"' in html
    # GET alone changes nothing (link scanners open every link)
    member.refresh_from_db()
    assert member.receive_emails is True and not Subscription.objects.exists()

    done = client.post(path_of(url), {"scope": "all"})
    assert done.status_code == 200 and "will not send you any more emails" in done.content.decode()
    member.refresh_from_db()
    assert member.receive_emails is False


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        unsubscribe_token_issue(member_id=1, kind="FORUM_POST_MENTION")[:-2] + "xx",
        # signed with the right key but another purpose's salt
        __import__("django.core.signing", fromlist=["dumps"]).dumps({"m": 1, "k": "FORUM_POST_MENTION"}),
    ],
    ids=["garbage", "tampered", "other-salt"],
)
def test_invalid_or_tampered_tokens_get_a_400_page_and_change_nothing(token):
    member = MemberFactory(id=1)
    client = Client()
    responses = (client.get(f"/unsubscribe/{token}"), client.post(f"/unsubscribe/{token}", {"scope": "all"}))
    for response in responses:
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
    member.refresh_from_db()
    assert member.receive_emails is True and not Subscription.objects.exists()


def test_token_of_a_deleted_member_or_unknown_scope_is_refused():
    url = unsubscribe_url(member_id=424242, kind="FORUM_POST_MENTION")
    assert Client().post(path_of(url)).status_code == 400
    member = MemberFactory()
    url = unsubscribe_url(member_id=member.id, kind="FORUM_POST_MENTION")
    assert Client().post(path_of(url), {"scope": "everything"}).status_code == 400
    assert not Subscription.objects.exists()


def test_one_click_on_a_watched_thread_email_from_the_ingest_stops_that_watch_only(fake_query_node):
    # given: Ada watches a thread (and another one); someone posts in it; the ingest emails her
    ada = MemberFactory(id=5, name="Ada", email="ada@example.org")
    watch = SubscriptionFactory(member=ada, kind="FORUM_THREAD_ENTITY_POST", entity_id="0")
    other = SubscriptionFactory(member=ada, kind="FORUM_THREAD_ENTITY_POST", entity_id="elsewhere")
    qn = fake_query_node.data
    author = qn.member(7, handle="bob")
    thread = qn.thread(author=author, category=qn.category("General"), event=False)
    watch.entity_id = thread.id
    watch.save()
    qn.post(thread=thread, author=author, text="first")
    call_command("notify", stdout=StringIO())
    [email] = mail.outbox

    # when: the one-click unsubscribe of that email
    response = one_click(email.extra_headers["List-Unsubscribe"][1:-1])

    # then: email stops for that watched thread (still watched in-app), not for the other one
    assert response.status_code == 200
    watch.refresh_from_db()
    other.refresh_from_db()
    assert (watch.should_notify, watch.should_notify_by_email) == (True, False)
    assert other.should_notify_by_email is True
    qn.post(thread=thread, author=author, text="second")
    call_command("notify", stdout=StringIO())
    latest = Notification.objects.filter(member=ada).order_by("-id").first()
    assert (latest.kind, latest.email_status) == ("FORUM_THREAD_ENTITY_POST", EmailStatus.IGNORED)


def test_a_link_signed_with_the_app_secret_itself_still_works(settings):
    # emails sent before Django's SECRET_KEY was derived from APP_SECRET_KEY carry such links
    token = signing.dumps(
        {"m": 1, "k": "FORUM_POST_MENTION"}, salt=UNSUBSCRIBE_SALT, compress=True, key=settings.APP_SECRET_KEY
    )
    claim = unsubscribe_token_decode(token)
    assert (claim.member_id, claim.kind) == (1, "FORUM_POST_MENTION")
    forged = signing.dumps({"m": 1, "k": "FORUM_POST_MENTION"}, salt=UNSUBSCRIBE_SALT, key="another key")
    with pytest.raises(InvalidUnsubscribeToken):
        unsubscribe_token_decode(forged)
