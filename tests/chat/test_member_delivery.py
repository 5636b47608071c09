"""Notifications reaching a member's chat channel: through `notify`, once, on the member's terms."""

import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chat.delivery import chat_deliver_pending
from chat.fanout import chat_deliveries_create
from chat.models import ChannelStatus, ChatChannel, ChatDelivery, DeliveryStatus
from notifications.models import Notification
from notifications.samples import sample_data
from tests.chat.conftest import PIONEER_URL
from tests.chat.helpers import active_channel, forum_reply
from tests.factories import MemberFactory, NotificationFactory, SubscriptionFactory
from tests.services import require_postgres

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    return MemberFactory(id=1, name="alice", email="alice@example.org")


def notify(capsys=None) -> str:
    call_command("notify")
    return capsys.readouterr().out if capsys else ""


def test_a_notification_arrives_with_its_title_and_link(alice, sink, fake_query_node, capsys):
    active_channel(alice, sink)
    thread, post = forum_reply(fake_query_node)

    output = notify(capsys)

    [message] = sink.posts
    assert message.title == "bob posted in your thread Alice's thread"
    assert f"[Open in Pioneer]({PIONEER_URL}/#/forum/thread/{thread.id}?post={post.id})" in message.message
    assert message.message.startswith("hello there")  # the post's excerpt
    assert "Chat delivery done: 1 attempted, 1 sent, 0 to retry, 0 failed" in output
    assert ChatDelivery.objects.get().status == DeliveryStatus.SENT
    # the next run finds nothing new and sends nothing again
    notify()
    assert len(sink.posts) == 1


def test_chat_does_not_depend_on_email(alice, sink, fake_query_node):
    alice.receive_emails = False
    alice.save()
    active_channel(alice, sink)
    forum_reply(fake_query_node)
    notify()
    assert len(sink.accepted) == 1
    assert mail.outbox == []


def test_a_kind_switched_off_for_chat_sends_nothing_there(alice, sink, fake_query_node):
    SubscriptionFactory(member=alice, kind="FORUM_THREAD_CREATOR", should_notify_by_chat=False)
    active_channel(alice, sink)
    forum_reply(fake_query_node)

    notify()

    assert Notification.objects.filter(member=alice).count() == 1  # in-app and email still on
    assert sink.posts == []
    assert not ChatDelivery.objects.exists()


def test_a_muted_entity_sends_nothing(alice, sink, fake_query_node):
    active_channel(alice, sink)
    thread, _post = forum_reply(fake_query_node)
    SubscriptionFactory(
        member=alice,
        kind="FORUM_THREAD_ENTITY_POST",
        entity_id=str(thread.id),
        should_notify=False,
        should_notify_by_email=False,
    )
    notify()
    assert sink.posts == []
    assert not Notification.objects.exists()


def test_a_watched_entity_is_posted(alice, sink, fake_query_node):
    active_channel(alice, sink)
    data = fake_query_node.data
    thread = data.thread(author=data.member(5), category=data.category("Lobby"), title="Watched", event=False)
    data.post(thread=thread, author=data.member(6, handle="carol"), text="news")
    SubscriptionFactory(member=alice, kind="FORUM_THREAD_ENTITY_POST", entity_id=str(thread.id))
    notify()
    [message] = sink.posts
    assert message.title == "carol posted in Watched, a thread you watch"


def test_a_pending_channel_gets_nothing(alice, sink, fake_query_node):
    channel = active_channel(alice, sink)
    ChatChannel.objects.filter(id=channel.id).update(status=ChannelStatus.PENDING)
    forum_reply(fake_query_node)
    notify()
    assert sink.posts == []


def test_500_then_200_delivers_one_message(alice, sink, fake_query_node):
    active_channel(alice, sink)
    forum_reply(fake_query_node)
    sink.answers.extend([500])

    notify()
    delivery = ChatDelivery.objects.get()
    assert (delivery.status, delivery.retry_count) == (DeliveryStatus.PENDING, 1)
    assert "500" in delivery.last_error
    notify()
    notify()

    assert [post.status for post in sink.posts] == [500, 200]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.retry_count) == (DeliveryStatus.SENT, 1)
    assert ChatChannel.objects.get().consecutive_failures == 0


def pending_deliveries(member, channel, count: int) -> list[Notification]:
    notifications = [
        NotificationFactory(member=member, kind="FORUM_POST_MENTION", data=sample_data("FORUM_POST_MENTION"))
        for _ in range(count)
    ]
    chat_deliveries_create(notification_ids=[n.id for n in notifications])
    assert ChatDelivery.objects.filter(channel=channel).count() == count
    return notifications


def test_always_404_disables_the_channel_after_the_fifth_failure_in_a_row(
    alice, sink, django_capture_on_commit_callbacks
):
    channel = active_channel(alice, sink)
    pending_deliveries(alice, channel, 2)
    sink.always = 404

    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            chat_deliver_pending()

    # two messages, attempted in turn: the fifth failure in a row (retries included) disables
    assert len(sink.posts) == 5
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.DISABLED
    assert "404" in channel.last_error
    assert set(ChatDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.FAILED}
    [email] = mail.outbox
    assert email.to == ["alice@example.org"]
    assert "hook" in email.subject
    assert "add it again" in email.body
    # nothing more is sent, neither the waiting messages nor new notifications
    later = NotificationFactory(member=alice, data=sample_data("FORUM_POST_MENTION"))
    chat_deliveries_create(notification_ids=[later.id])
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            chat_deliver_pending()
    assert len(sink.posts) == 5
    assert len(mail.outbox) == 1


def test_a_success_resets_the_failures_in_a_row(alice, sink):
    channel = active_channel(alice, sink)
    pending_deliveries(alice, channel, 2)
    sink.answers.extend([500, 500, 500, 200])
    for _ in range(3):
        chat_deliver_pending()
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.ACTIVE
    assert channel.consecutive_failures == 0
    assert len(sink.accepted) == 2


def test_one_delivery_per_notification_and_channel(alice, sink):
    channel = active_channel(alice, sink)
    second = active_channel(alice, sink, token="second-token-abcdef")
    [notification] = pending_deliveries(alice, channel, 1)
    chat_deliveries_create(notification_ids=[notification.id])  # a re-read page
    assert ChatDelivery.objects.filter(notification=notification).count() == 2
    chat_deliver_pending()
    chat_deliver_pending()
    assert sorted(post.path for post in sink.posts) == sorted(
        ["/hooks/hook-token-0123456789", "/hooks/second-token-abcdef"]
    )
    assert second.deliveries.get().status == DeliveryStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_notify_runs_post_one_message_per_channel(sink, fake_query_node):
    require_postgres()
    alice = MemberFactory(id=1, name="alice", email="alice@example.org")
    # rto: Apprise waits for the paused answer longer than the test takes (its default is 4 s)
    active_channel(alice, sink, query="?rto=60")
    active_channel(alice, sink, token="second-token-abcdef", query="?rto=60")
    forum_reply(fake_query_node)
    sink.pause.set()  # the first post waits inside the service

    def run():
        try:
            call_command("notify")
        finally:
            connection.close()

    first = threading.Thread(target=run)
    first.start()
    assert sink.entered.wait(timeout=30)  # the first run is inside the service, holding its row
    second = threading.Thread(target=run)
    second.start()
    second.join(timeout=60)  # it passes by the held row and posts the other channel's message
    assert [post.path for post in sink.posts] == ["/hooks/second-token-abcdef"]
    sink.release.set()
    first.join(timeout=60)

    assert not first.is_alive() and not second.is_alive()
    assert sorted(post.path for post in sink.posts) == [
        "/hooks/hook-token-0123456789",
        "/hooks/second-token-abcdef",
    ]
    assert set(ChatDelivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_a_rendering_bug_is_recorded_and_retried_not_looped_on(alice, sink, monkeypatch):
    channel = active_channel(alice, sink)
    pending_deliveries(alice, channel, 1)

    def broken(kind, data):
        raise KeyError("no such field")

    monkeypatch.setattr("chat.delivery.chat_message_for", broken)
    chat_deliver_pending()

    delivery = ChatDelivery.objects.get()
    assert (delivery.status, delivery.retry_count) == (DeliveryStatus.PENDING, 1)
    assert "KeyError" in delivery.last_error
    assert sink.posts == []


def test_only_the_given_notifications_get_deliveries_not_the_others_between_them(alice, sink):
    # the ids are read as the range they span: rows inside it that were not handed over get nothing
    channel = active_channel(alice, sink)
    notifications = [
        NotificationFactory(member=alice, kind="FORUM_POST_MENTION", data=sample_data("FORUM_POST_MENTION"))
        for _ in range(5)
    ]
    given = [notifications[0].id, notifications[2].id, notifications[4].id]

    created = chat_deliveries_create(notification_ids=given)

    assert created == 3
    assert sorted(channel.deliveries.values_list("notification_id", flat=True)) == given


def test_handing_over_more_notifications_costs_no_more_queries(alice, sink):
    active_channel(alice, sink)
    bob = MemberFactory(id=2, name="bob")

    def queries_for(count: int) -> int:
        data = sample_data("FORUM_POST_MENTION")
        ids = [
            NotificationFactory(member=member, kind="FORUM_POST_MENTION", data=data).id
            for member in (alice, bob)
            for _ in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            chat_deliveries_create(notification_ids=ids)
        return len(captured)

    assert queries_for(2) == queries_for(40)
