"""Shared steps of the chat tests: add and confirm a channel through the API."""

from __future__ import annotations

import re

from tests.chat.webhook_sink import WebhookSink

ADD = """mutation Add($url: String!, $label: String) {
  addChatChannel(url: $url, label: $label) { id label target status lastError }
}"""
CONFIRM = """mutation Confirm($id: ID!, $code: String!) {
  confirmChatChannel(id: $id, code: $code) { id status }
}"""
REMOVE = "mutation Remove($id: ID!) { removeChatChannel(id: $id) }"
CHANNELS = "{ chatChannels { id label target status lastError } }"


def code_in(message: str) -> str:
    match = re.search(r"\*\*(\d{6})\*\*", message)
    assert match, message
    return match.group(1)


def add_and_confirm(client, sink: WebhookSink, **url_parts) -> dict:
    """A confirmed channel to the sink; the sink's posts are cleared after the confirmation."""
    channel = client.execute(ADD, {"url": sink.url(**url_parts), "label": "my hook"})["addChatChannel"]
    code = code_in(sink.posts[-1].message)
    client.execute(CONFIRM, {"id": channel["id"], "code": code})
    sink.posts.clear()
    return channel


def active_channel(member, sink: WebhookSink, token: str = "hook-token-0123456789", query: str = ""):
    """A confirmed channel of `member` to the sink, stored as the API stores it."""
    from chat.models import ChannelStatus, ChatChannel
    from chat.secrets import url_encrypt

    return ChatChannel.objects.create(
        member=member,
        label="hook",
        url_encrypted=url_encrypt(sink.url(token) + query),
        target="json://127.0.0.1",
        status=ChannelStatus.ACTIVE,
    )


def forum_reply(fake_query_node, *, thread_author_id: int = 1, title: str = "Alice's thread"):
    """On the fake query node: a thread by member `thread_author_id` (no event) and a new post
    in it by someone else, which notifies the thread's author (FORUM_THREAD_CREATOR)."""
    data = fake_query_node.data
    author, poster = data.member(thread_author_id, handle="alice"), data.member(99, handle="bob")
    thread = data.thread(author=author, category=data.category("Lobby"), title=title, event=False)
    post = data.post(thread=thread, author=poster, text="hello *there*")
    return thread, post
