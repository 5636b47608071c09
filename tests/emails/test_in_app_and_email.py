"""In-app and email are independent switches: through the real ingest (fake query node over
HTTP), `notify`'s delivery and the GraphQL feed."""

import pytest
from django.core import mail
from django.core.management import call_command

from members.tokens import auth_token_issue
from notifications.models import EmailStatus, Notification
from tests.conftest import GraphQLClient
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

SET = """
mutation ($data: [GeneralSubscriptionInput]) { generalSubscriptions(data: $data) { kind } }
"""
FEED = """
{ notifications { kind message } unread: notificationsCount(isRead: false) all: notificationsCount }
"""


def client_for(member_id: int) -> GraphQLClient:
    return GraphQLClient(token=auth_token_issue(member_id=member_id))


def mention(member_id: int) -> str:
    return f"[@m{member_id}](#mention?member-id={member_id})"


@pytest.fixture
def mentioned_alice_and_bob(fake_query_node):
    """Alice wants mentions by email only, Bob in-app only; Carol mentions both in a post."""
    MemberFactory(id=1, name="alice", email="alice@example.org")
    MemberFactory(id=2, name="bob", email="bob@example.org")
    client_for(1).execute(SET, {"data": [{"kind": "FORUM_POST_MENTION", "shouldNotifyInApp": False}]})
    client_for(2).execute(SET, {"data": [{"kind": "FORUM_POST_MENTION", "shouldNotifyByEmail": False}]})
    data = fake_query_node.data
    carol = data.member(3, handle="carol")
    thread = data.thread(author=carol, category=data.category("Lobby"), title="Plans", event=False)
    data.post(thread=thread, author=carol, text=f"{mention(1)} and {mention(2)}, look", block=10)
    call_command("notify")


def test_in_app_off_email_on_gives_an_email_and_no_feed_entry(mentioned_alice_and_bob):
    [message] = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert "carol mentioned you in Plans" in message.subject
    assert client_for(1).execute(FEED) == {"notifications": [], "unread": 0, "all": 0}
    row = Notification.objects.get(member_id=1)
    assert (row.in_app, row.email_status) == (False, EmailStatus.SENT)


def test_email_off_in_app_on_gives_a_feed_entry_and_no_email(mentioned_alice_and_bob):
    assert [m for m in mail.outbox if m.to == ["bob@example.org"]] == []
    assert client_for(2).execute(FEED) == {
        "notifications": [{"kind": "FORUM_POST_MENTION", "message": "carol mentioned you in Plans"}],
        "unread": 1,
        "all": 1,
    }
    assert Notification.objects.get(member_id=2).email_status == EmailStatus.IGNORED


def test_a_kind_wanted_by_email_only_reaches_nobody_without_an_address(fake_query_node):
    # Dave has no verified address: email-only mentions are not wanted, and the post in
    # his own thread reaches him in-app (the next candidate he wants) instead.
    MemberFactory(id=4, name="dave", email=None)
    client_for(4).execute(SET, {"data": [{"kind": "FORUM_POST_MENTION", "shouldNotifyInApp": False}]})
    data = fake_query_node.data
    dave, carol = data.member(4, handle="dave"), data.member(3, handle="carol")
    thread = data.thread(author=dave, category=data.category("Lobby"), title="Dave's", event=False)
    data.post(thread=thread, author=carol, text=f"{mention(4)} hi", block=10)

    call_command("notify")

    row = Notification.objects.get(member_id=4)
    assert (row.kind, row.in_app, row.email_status) == ("FORUM_THREAD_CREATOR", True, EmailStatus.IGNORED)
