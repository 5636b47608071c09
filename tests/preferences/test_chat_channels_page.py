"""The preferences page lists the member's chat channels (label, masked target, status, last
error; never the URL's token) and removes one with its button, as removeChatChannel does; an
id that is not one of the member's channels refuses the whole form."""

import re

import pytest

from chat.models import ChannelStatus, ChatChannel
from chat.secrets import url_encrypt
from members.tokens import auth_token_issue
from subscriptions.models import Subscription
from tests.conftest import GraphQLClient
from tests.factories import MemberFactory
from tests.preferences.conftest import page_path
from tests.preferences.test_save import defaults_form

pytestmark = pytest.mark.django_db

SECRET = "s3cr3t-webhook-token-0123456789"


def channel(member, label: str, status: str = ChannelStatus.ACTIVE, last_error: str = "") -> ChatChannel:
    """A channel stored as the API stores it: the whole URL encrypted, the target masked."""
    return ChatChannel.objects.create(
        member=member,
        label=label,
        url_encrypted=url_encrypt(f"discord://1234/{SECRET}"),
        target="discord://discord.com",
        status=status,
        last_error=last_error,
    )


def api_channels(member) -> list[dict]:
    client = GraphQLClient(token=auth_token_issue(member_id=member.id))
    return client.execute("{ chatChannels { id label status } }")["chatChannels"]


def test_channels_are_listed_with_target_status_and_error_never_the_secret(client, ada):
    active = channel(ada, "Team server")
    pending = channel(ada, "My bot", status=ChannelStatus.PENDING)
    disabled = channel(
        ada, "Old room", status=ChannelStatus.DISABLED, last_error="HTTP 404 <Unknown Webhook>"
    )

    html = client.get(page_path(ada)).content.decode()

    assert re.findall(r'name="remove_chat_channel" value="([^"]+)"', html) == [
        str(active.id),
        str(pending.id),
        str(disabled.id),
    ]
    assert html.count("discord://discord.com") == 3
    assert "Team server" in html and "My bot" in html and "Old room" in html
    assert ChannelStatus.ACTIVE.label in html and ChannelStatus.PENDING.label in html
    assert ChannelStatus.DISABLED.label in html
    assert "Last error: HTTP 404 &lt;Unknown Webhook&gt;" in html
    assert SECRET not in html and "discord://1234" not in html
    assert 'aria-label="Remove chat channel: Old room"' in html


def test_a_member_without_channels_is_told_so(client, ada):
    html = client.get(page_path(ada)).content.decode()
    assert "You have no chat channel." in html
    assert 'name="remove_chat_channel"' not in html


def test_remove_chat_channel_removes_that_channel_only_and_saves_the_form(browserless, ada):
    kept, removed = channel(ada, "Team server"), channel(ada, "Old room")
    form = defaults_form() | {"remove_chat_channel": str(removed.id)}
    del form["FORUM_POST_MENTION.chat"]

    assert browserless.post(page_path(ada), form).status_code == 303

    assert api_channels(ada) == [{"id": str(kept.id), "label": "Team server", "status": "ACTIVE"}]
    assert Subscription.objects.get(member=ada, kind="FORUM_POST_MENTION").should_notify_by_chat is False


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("other", "names no chat channel of this member"),
        ("999999", "names no chat channel of this member"),
        ("", "must be the id of one of your chat channels"),
        ("-1", "must be the id of one of your chat channels"),
        ("1e3", "must be the id of one of your chat channels"),
        ("１", "must be the id of one of your chat channels"),  # a full-width digit
        ("9" * 40, "must be the id of one of your chat channels"),
    ],
    ids=["other-members", "unknown", "empty", "negative", "not-decimal", "non-ascii-digit", "too-long"],
)
def test_a_forged_channel_id_is_a_400_and_changes_nothing(browserless, ada, value, message):
    mine = channel(ada, "Team server")
    others = channel(MemberFactory(id=8), "Bob's server")
    value = str(others.id) if value == "other" else value
    form = defaults_form() | {"remove_chat_channel": value}
    del form["FORUM_POST_MENTION.chat"]  # would be stored if anything were saved

    response = browserless.post(page_path(ada), form)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved" in html and message in html
    assert set(ChatChannel.objects.values_list("id", flat=True)) == {mine.id, others.id}
    assert not Subscription.objects.filter(member=ada).exists()
