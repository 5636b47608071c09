"""shouldNotifyByChat on general subscriptions: read, written, and left alone by old clients."""

import pytest

from subscriptions.models import Subscription
from subscriptions.services import GeneralSubscriptionChange, general_subscriptions_update

pytestmark = pytest.mark.django_db

QUERY = """query ($kind: GeneralSubscriptionKind) {
  generalSubscriptions(kind: $kind) { id kind shouldNotify shouldNotifyByEmail shouldNotifyByChat }
}"""
MUTATION = """mutation ($data: [GeneralSubscriptionInput]) {
  generalSubscriptions(data: $data) { kind shouldNotify shouldNotifyByEmail shouldNotifyByChat }
}"""


def chat_flag(client, kind: str) -> bool:
    [entry] = client.execute(QUERY, {"kind": kind})["generalSubscriptions"]
    return entry["shouldNotifyByChat"]


def test_the_default_is_the_kinds_email_default(member_api_client):
    assert chat_flag(member_api_client, "FORUM_POST_MENTION") is True  # on by default
    assert chat_flag(member_api_client, "FORUM_POST_ALL") is False  # off by default


def test_switching_chat_off_and_on(member_api_client):
    data = [{"kind": "FORUM_POST_MENTION", "shouldNotifyByChat": False}]
    [stored] = member_api_client.execute(MUTATION, {"data": data})["generalSubscriptions"]
    assert stored == {
        "kind": "FORUM_POST_MENTION",
        "shouldNotify": True,
        "shouldNotifyByEmail": True,
        "shouldNotifyByChat": False,
    }
    assert chat_flag(member_api_client, "FORUM_POST_MENTION") is False
    member_api_client.execute(
        MUTATION, {"data": [{"kind": "FORUM_POST_MENTION", "shouldNotifyByChat": True}]}
    )
    assert chat_flag(member_api_client, "FORUM_POST_MENTION") is True


def test_an_input_without_the_flag_leaves_chat_as_it_is(member_api_client, member):
    member_api_client.execute(MUTATION, {"data": [{"kind": "FORUM_POST_ALL", "shouldNotifyByChat": True}]})
    # an old client turns email off, knowing nothing of chat
    old_client = [{"kind": "FORUM_POST_ALL", "shouldNotify": True, "shouldNotifyByEmail": False}]
    member_api_client.execute(MUTATION, {"data": old_client})
    row = Subscription.objects.get(member=member, kind="FORUM_POST_ALL")
    assert (row.should_notify_by_email, row.should_notify_by_chat) == (False, True)


def test_receive_emails_does_not_touch_chat(member_api_client, member):
    member_api_client.execute("mutation { updateMember(receiveEmails: false) { receiveEmails } }")
    assert chat_flag(member_api_client, "FORUM_POST_MENTION") is True


def test_chat_only_change_equal_to_the_default_stores_nothing(member):
    general_subscriptions_update(
        member=member,
        changes=[GeneralSubscriptionChange(kind="FORUM_POST_MENTION", should_notify_by_chat=True)],
    )
    assert not Subscription.objects.exists()
