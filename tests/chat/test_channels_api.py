"""A member's chat channels through the GraphQL API, against a loopback webhook sink."""

import pytest

from chat.models import ChannelStatus, ChatChannel
from tests.chat.helpers import ADD, CHANNELS, CONFIRM, REMOVE, add_and_confirm, code_in
from tests.conftest import error_messages

pytestmark = pytest.mark.django_db


def add(client, url, label=None):
    return client.post(ADD, {"url": url, "label": label})


def test_adding_sends_a_code_and_confirming_it_activates_the_channel(member_api_client, sink):
    result = member_api_client.execute(ADD, {"url": sink.url(), "label": "Team hook"})["addChatChannel"]

    assert result["status"] == "PENDING"
    assert result["label"] == "Team hook"
    assert result["target"] == "json://127.0.0.1"
    [confirmation] = sink.posts
    assert confirmation.path == "/hooks/hook-token-0123456789"
    assert "confirm" in confirmation.title.lower()
    code = code_in(confirmation.message)

    confirmed = member_api_client.execute(CONFIRM, {"id": result["id"], "code": code})
    assert confirmed["confirmChatChannel"]["status"] == "ACTIVE"
    assert member_api_client.execute(CHANNELS)["chatChannels"] == [
        {
            "id": result["id"],
            "label": "Team hook",
            "target": "json://127.0.0.1",
            "status": "ACTIVE",
            "lastError": None,
        }
    ]
    assert len(sink.posts) == 1  # nothing but the confirmation was sent


def test_a_wrong_code_is_refused_and_the_fifth_removes_the_channel(member_api_client, sink):
    channel = member_api_client.execute(ADD, {"url": sink.url()})["addChatChannel"]
    right = code_in(sink.posts[-1].message)
    wrong = "000000" if right != "000000" else "111111"

    messages = [
        error_messages(member_api_client.post(CONFIRM, {"id": channel["id"], "code": wrong}))
        for _ in range(5)
    ]

    assert messages[0] == ["Wrong code: 4 attempts left"]
    assert messages[3] == ["Wrong code: 1 attempt left"]
    assert "removed" in messages[4][0]
    assert not ChatChannel.objects.exists()
    # the right code comes too late: the channel is gone
    late = member_api_client.post(CONFIRM, {"id": channel["id"], "code": right})
    assert error_messages(late) == ["No chat channel of yours has this id"]


def test_a_pending_channel_is_not_confirmed_by_a_wrong_code_then_is_by_the_right_one(member_api_client, sink):
    channel = member_api_client.execute(ADD, {"url": sink.url()})["addChatChannel"]
    right = code_in(sink.posts[-1].message)
    wrong = "000000" if right != "000000" else "111111"
    assert error_messages(member_api_client.post(CONFIRM, {"id": channel["id"], "code": wrong}))
    assert ChatChannel.objects.get().status == ChannelStatus.PENDING
    member_api_client.execute(CONFIRM, {"id": channel["id"], "code": right})
    assert ChatChannel.objects.get().status == ChannelStatus.ACTIVE


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mailto://user:pw@example.com", "is not accepted here"),
        ("discord://", "Apprise cannot use this discord:// URL"),
        ("localhost:8080/hook", "is not accepted here"),
    ],
)
def test_refusals_store_nothing_and_send_nothing(member_api_client, sink, url, expected):
    result = add(member_api_client, url)
    assert expected in error_messages(result)[0]
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert not ChatChannel.objects.exists()
    assert sink.posts == []


@pytest.mark.parametrize("host", ["localhost", "127.0.0.2", "[::1]"])
def test_loopback_targets_are_refused_without_the_flag(member_api_client, sink, settings, host):
    settings.CHAT_ALLOW_PRIVATE_TARGETS = False
    result = add(member_api_client, f"json://{host}:{sink.port}/hooks/token")
    assert "not allowed" in error_messages(result)[0]
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert not ChatChannel.objects.exists()
    assert sink.posts == []


def test_one_channel_beyond_the_maximum_is_refused(member_api_client, sink, settings):
    settings.CHAT_CHANNELS_MAX = 2
    for index in range(2):
        member_api_client.execute(ADD, {"url": sink.url(f"token-{index}-abcdef")})
    result = add(member_api_client, sink.url("token-2-abcdef"))
    assert error_messages(result) == ["At most 2 chat channels per member: remove one before adding another"]
    assert ChatChannel.objects.count() == 2
    assert len(sink.posts) == 2


def test_a_target_that_refuses_the_confirmation_is_not_stored(member_api_client, sink):
    sink.always = 404
    result = add(member_api_client, sink.url())
    [message] = error_messages(result)
    assert message.startswith("The confirmation message could not be sent to json://127.0.0.1")
    assert "404" in message
    assert "hook-token-0123456789" not in message and "pw-secret-42" not in message
    assert not ChatChannel.objects.exists()


def test_remove_deletes_only_the_members_own_channel(member_api_client, sink):
    from members.tokens import auth_token_issue
    from tests.conftest import GraphQLClient
    from tests.factories import MemberFactory

    channel = add_and_confirm(member_api_client, sink)
    other = GraphQLClient(token=auth_token_issue(member_id=MemberFactory(id=2).id))
    assert other.execute(REMOVE, {"id": channel["id"]}) == {"removeChatChannel": False}
    assert other.execute(CHANNELS) == {"chatChannels": []}
    assert member_api_client.execute(REMOVE, {"id": channel["id"]}) == {"removeChatChannel": True}
    assert not ChatChannel.objects.exists()


def test_channels_need_a_token(api_client):
    result = api_client.post(CHANNELS)
    assert error_messages(result) == ["Unauthorized"]


def test_a_malformed_id_is_a_clear_error(member_api_client):
    result = member_api_client.post(CONFIRM, {"id": "abc", "code": "123456"})
    assert error_messages(result) == ["id must be the decimal id of one of your chat channels"]
