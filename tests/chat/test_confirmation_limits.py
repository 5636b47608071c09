"""How often a member may have a code posted, how long a code is good for, how many guesses.

Each addChatChannel posts a message through a service: it is limited per member and per target
(RATE_LIMIT_CHAT_CHANNEL_ADDS_PER_MEMBER, RATE_LIMIT_CHAT_CONFIRMATIONS_PER_TARGET), aliases
one by one. A code expires CHAT_CONFIRMATION_TTL_SECONDS after the add.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from chat.messages import duration_text
from chat.models import ChannelStatus, ChatChannel
from tests.api.test_rate_limits import assert_rate_limited
from tests.chat.helpers import ADD, CONFIRM, code_in
from tests.conftest import GraphQLClient, error_messages

pytestmark = pytest.mark.django_db

THREE_ADDS = """mutation ($a: String!, $b: String!, $c: String!) {
  a: addChatChannel(url: $a) { id }
  b: addChatChannel(url: $b) { id }
  c: addChatChannel(url: $c) { id }
}"""


def _age(channel_id, seconds: int) -> None:
    """The channel was added `seconds` ago (its code with it)."""
    ChatChannel.objects.filter(id=channel_id).update(created_at=timezone.now() - timedelta(seconds=seconds))


def test_adds_are_limited_per_member_and_aliases_count_one_by_one(member_api_client, sink, settings):
    settings.RATE_LIMIT_CHAT_CHANNEL_ADDS_PER_MEMBER = "2/h"
    urls = {name: sink.url(f"token-{name}-abcdef") for name in "abc"}

    result = member_api_client.post(THREE_ADDS, urls)

    assert result["data"]["a"] and result["data"]["b"] and result["data"]["c"] is None
    [error] = result["errors"]
    assert error["path"] == ["c"]
    assert_rate_limited(error)
    # The refused add posted nothing and stored nothing.
    assert len(sink.posts) == 2
    assert ChatChannel.objects.count() == 2


def test_confirmation_codes_are_limited_per_target_whoever_asks(sink, settings):
    from members.tokens import auth_token_issue
    from tests.factories import MemberFactory

    settings.RATE_LIMIT_CHAT_CONFIRMATIONS_PER_TARGET = "2/d"
    clients = [GraphQLClient(token=auth_token_issue(member_id=MemberFactory().id)) for _ in range(3)]

    # Three members, one target: the third code posted to it is refused.
    results = [client.post(ADD, {"url": sink.url()}) for client in clients]

    assert ["errors" in result for result in results] == [False, False, True]
    assert_rate_limited(results[2]["errors"][0])
    assert len(sink.posts) == 2
    # Another target is not affected.
    assert "errors" not in clients[2].post(ADD, {"url": sink.url("another-token-abcdef")})


def test_the_code_says_how_long_it_is_valid(member_api_client, sink, settings):
    settings.CHAT_CONFIRMATION_TTL_SECONDS = 1800
    member_api_client.execute(ADD, {"url": sink.url()})
    assert "valid for 30 minutes" in sink.posts[-1].message


def test_an_expired_code_removes_the_channel_and_adding_it_again_brings_a_new_one(
    member_api_client, sink, settings
):
    settings.CHAT_CONFIRMATION_TTL_SECONDS = 3600
    channel = member_api_client.execute(ADD, {"url": sink.url()})["addChatChannel"]
    code = code_in(sink.posts[-1].message)
    _age(channel["id"], 3601)

    late = member_api_client.post(CONFIRM, {"id": channel["id"], "code": code})

    assert error_messages(late) == [
        "This code has expired: the channel was removed; add it again for a new code"
    ]
    assert late["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert not ChatChannel.objects.exists()
    again = member_api_client.execute(ADD, {"url": sink.url()})["addChatChannel"]
    new_code = code_in(sink.posts[-1].message)
    confirmed = member_api_client.execute(CONFIRM, {"id": again["id"], "code": new_code})
    assert confirmed["confirmChatChannel"]["status"] == "ACTIVE"


def test_a_code_within_its_time_still_confirms(member_api_client, sink, settings):
    settings.CHAT_CONFIRMATION_TTL_SECONDS = 3600
    channel = member_api_client.execute(ADD, {"url": sink.url()})["addChatChannel"]
    _age(channel["id"], 3500)
    code = code_in(sink.posts[-1].message)
    confirmed = member_api_client.execute(CONFIRM, {"id": channel["id"], "code": code})
    assert confirmed["confirmChatChannel"]["status"] == "ACTIVE"


def test_expired_pending_channels_hold_no_place_but_active_ones_do(member_api_client, sink, settings):
    settings.CHAT_CHANNELS_MAX = 2
    first = member_api_client.execute(ADD, {"url": sink.url("token-1-abcdef")})["addChatChannel"]
    member_api_client.execute(CONFIRM, {"id": first["id"], "code": code_in(sink.posts[-1].message)})
    pending = member_api_client.execute(ADD, {"url": sink.url("token-2-abcdef")})["addChatChannel"]
    # Both old: the confirmed one stays, the unconfirmed one gives its place up.
    _age(first["id"], settings.CHAT_CONFIRMATION_TTL_SECONDS + 60)
    _age(pending["id"], settings.CHAT_CONFIRMATION_TTL_SECONDS + 60)

    member_api_client.execute(ADD, {"url": sink.url("token-3-abcdef")})

    assert sorted(ChatChannel.objects.values_list("status", flat=True)) == [
        ChannelStatus.ACTIVE,
        ChannelStatus.PENDING,
    ]
    assert not ChatChannel.objects.filter(id=pending["id"]).exists()


def test_the_sweeper_removes_every_member_s_expired_pending_channels(sink, settings):
    from chat.tasks import sweep_pending
    from members.tokens import auth_token_issue
    from tests.factories import MemberFactory

    clients = [GraphQLClient(token=auth_token_issue(member_id=MemberFactory().id)) for _ in range(2)]
    old_pending, fresh_pending, old_active = (
        clients[0].execute(ADD, {"url": sink.url("token-old-abcdef")})["addChatChannel"],
        clients[1].execute(ADD, {"url": sink.url("token-new-abcdef")})["addChatChannel"],
        clients[1].execute(ADD, {"url": sink.url("token-act-abcdef")})["addChatChannel"],
    )
    clients[1].execute(CONFIRM, {"id": old_active["id"], "code": code_in(sink.posts[-1].message)})
    _age(old_pending["id"], settings.CHAT_CONFIRMATION_TTL_SECONDS + 1)
    _age(fresh_pending["id"], settings.CHAT_CONFIRMATION_TTL_SECONDS - 60)
    _age(old_active["id"], settings.CHAT_CONFIRMATION_TTL_SECONDS + 1)

    sweep_pending()  # beat's periodic chat sweep, run here in the test's process

    assert sorted(ChatChannel.objects.values_list("id", flat=True)) == sorted(
        [int(fresh_pending["id"]), int(old_active["id"])]
    )


def test_wrong_codes_in_aliases_of_one_request_count_one_by_one(member_api_client, sink):
    channel = member_api_client.execute(ADD, {"url": sink.url()})["addChatChannel"]
    right = code_in(sink.posts[-1].message)
    wrong = "000000" if right != "000000" else "111111"
    guesses = " ".join(
        f'g{index}: confirmChatChannel(id: "{channel["id"]}", code: "{wrong}") {{ status }}'
        for index in range(6)
    )

    result = member_api_client.post(f"mutation {{ {guesses} }}")

    assert [error["message"] for error in result["errors"]][3:] == [
        "Wrong code: 1 attempt left",
        "Wrong code 5 times: the channel was removed; add it again for a new code",
        "No chat channel of yours has this id",
    ]
    assert not ChatChannel.objects.exists()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(3600, "1 hour"), (7200, "2 hours"), (5400, "90 minutes"), (86400, "1 day"), (90, "90 seconds")],
)
def test_durations_read_as_people_say_them(seconds, text):
    assert duration_text(seconds) == text
