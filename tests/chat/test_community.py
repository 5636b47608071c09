"""Community channels: one post per event of their kinds, once, whoever is registered."""

import pytest
from django.core.management import CommandError, call_command

from chat.admin import CommunityChannelForm
from chat.fanout import COMMUNITY_KINDS
from chat.models import ChannelStatus, CommunityChannel, CommunityPost, DeliveryStatus
from chat.secrets import url_encrypt
from qn_ingest.models import IngestCursor
from subscriptions.kinds import KINDS, Role
from tests.chat.conftest import PIONEER_URL

pytestmark = pytest.mark.django_db


def community_channel(sink, kinds, token="community-token-abcdef"):
    return CommunityChannel.objects.create(
        label="Joystream #governance",
        url_encrypted=url_encrypt(sink.url(token)),
        target="json://127.0.0.1",
        kinds=list(kinds),
    )


def some_events(fake_query_node):
    """A new thread, a post in it and a voting stage start: three events of three kinds."""
    data = fake_query_node.data
    author = data.member(7, handle="dora")
    thread = data.thread(author=author, category=data.category("Governance"), title="Budget 2027")
    data.post(thread=thread, author=data.member(8, handle="eve"), text="first reply")
    data.election_stage("VOTING")
    return thread


def test_a_community_channel_gets_one_post_per_event_of_its_kinds_and_nothing_else(sink, fake_query_node):
    threads = community_channel(sink, ["FORUM_THREAD_ALL"])
    elections = community_channel(
        sink, ["ELECTION_VOTING_STARTED", "ELECTION_REVEALING_STARTED"], token="elect-abcdef"
    )
    thread = some_events(fake_query_node)

    call_command("notify")
    call_command("notify")  # nothing new: nothing posted again

    by_path = {post.path: post for post in sink.posts}
    assert len(sink.posts) == 2
    thread_post = by_path["/hooks/community-token-abcdef"]
    assert thread_post.title == "dora started a new thread: Budget 2027"
    assert f"[Open in Pioneer]({PIONEER_URL}/#/forum/thread/{thread.id})" in thread_post.message
    assert by_path["/hooks/elect-abcdef"].title == "Council election: the voting period has started"
    assert threads.posts.get().status == DeliveryStatus.SENT
    assert elections.posts.get().kind == "ELECTION_VOTING_STARTED"


def test_a_disabled_community_channel_gets_nothing(sink, fake_query_node):
    community_channel(sink, ["FORUM_THREAD_ALL"])
    CommunityChannel.objects.update(status=ChannelStatus.DISABLED)
    some_events(fake_query_node)
    call_command("notify")
    assert sink.posts == []
    assert not CommunityPost.objects.exists()


def test_community_kinds_are_the_kinds_whose_audience_is_everyone():
    assert set(COMMUNITY_KINDS) == {kind.name for kind in KINDS if kind.role == Role.EVERYONE}
    assert {"FORUM_THREAD_ALL", "ELECTION_VOTING_STARTED"} <= set(COMMUNITY_KINDS)
    assert "FORUM_POST_MENTION" not in COMMUNITY_KINDS
    form_choices = {name for name, _label in CommunityChannelForm().fields["kinds"].choices}
    assert form_choices == set(COMMUNITY_KINDS)


def test_the_admin_form_checks_and_encrypts_the_url(sink, settings):
    form = CommunityChannelForm(
        data={"label": "Forum feed", "url": sink.url(), "kinds": ["FORUM_THREAD_ALL"], "status": "ACTIVE"}
    )
    assert form.is_valid(), form.errors
    channel = form.save()
    assert channel.target == "json://127.0.0.1"
    assert "hook-token" not in channel.url_encrypted
    settings.CHAT_ALLOW_PRIVATE_TARGETS = False
    refused = CommunityChannelForm(
        data={"label": "x", "url": "json://127.0.0.2/h", "kinds": ["FORUM_THREAD_ALL"], "status": "ACTIVE"}
    )
    assert not refused.is_valid()
    assert "not allowed" in str(refused.errors["url"])
    wrong_kind = CommunityChannelForm(
        data={"label": "x", "url": sink.url(), "kinds": ["FORUM_POST_MENTION"], "status": "ACTIVE"}
    )
    assert "kinds" in wrong_kind.errors


def test_notify_dry_run_shows_what_would_be_posted_and_stores_and_sends_nothing(
    sink, fake_query_node, capsys
):
    community_channel(sink, ["FORUM_THREAD_ALL"])
    some_events(fake_query_node)

    call_command("notify", "--dry-run")

    output = capsys.readouterr().out
    assert "Ingest done: block" in output
    assert "Would post: 1 chat messages" in output
    assert (
        "community channel Joystream #governance (json://127.0.0.1): dora started a new thread: Budget 2027"
        in output
    )
    assert "Dry run: nothing was stored or sent" in output
    assert sink.posts == []
    assert not CommunityPost.objects.exists()
    assert not IngestCursor.objects.filter(block__gt=0).exists()
    # the real run afterwards does what the dry run showed
    call_command("notify")
    assert [post.title for post in sink.posts] == ["dora started a new thread: Budget 2027"]


def test_testchannel_sends_and_reports(sink, capsys):
    call_command("testchannel", sink.url())
    assert "json://127.0.0.1: sent" in capsys.readouterr().out
    assert sink.posts[-1].title == "Pioneer Notify: test message"

    sink.always = 404
    with pytest.raises(CommandError, match="json://127.0.0.1: not sent: .*404") as failed:
        call_command("testchannel", sink.url())
    assert "hook-token" not in str(failed.value)


def test_testchannel_refuses_what_members_could_not_add(settings):
    settings.CHAT_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(CommandError, match="refused: .*not allowed"):
        call_command("testchannel", "json://localhost/hook")
