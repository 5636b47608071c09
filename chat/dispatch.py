"""Handing chat delivery to Celery, by task name (as notifications.dispatch does for email)."""

from __future__ import annotations

from pioneer.celery import app

DELIVER_CHAT_TASK = "chat.deliver_chat"
DELIVER_COMMUNITY_POSTS_TASK = "chat.deliver_community_posts"


def chat_batch_enqueue(delivery_ids: list[int]) -> None:
    app.send_task(DELIVER_CHAT_TASK, args=(delivery_ids,))


def community_batch_enqueue(post_ids: list[int]) -> None:
    app.send_task(DELIVER_COMMUNITY_POSTS_TASK, args=(post_ids,))
