"""Celery tasks for chat delivery: thin wrappers that take ids and call chat.delivery."""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import shared_task

from chat.delivery import ChatOutcome, chat_delivery_attempt, community_post_attempt
from chat.dispatch import DELIVER_CHAT_TASK, DELIVER_COMMUNITY_POSTS_TASK
from chat.fanout import chat_sweep_pending
from chat.models import ChatDelivery, CommunityPost
from chat.services import expired_pending_channels_remove
from notifications.dispatch import delivery_runs_inline

logger = logging.getLogger(__name__)


def _schedule_retry(model, task, row_id: int) -> None:
    if delivery_runs_inline():
        return  # the next due `notify` pass retries, after the backoff
    rows = model.objects.filter(id=row_id)
    due = rows.values_list("next_attempt_at", flat=True).first()
    if due is None:
        return
    # The sweeper reads queued_at as "a task should run by then": not before the retry is due.
    rows.update(queued_at=due)
    task.apply_async(([row_id],), eta=due)


def _run(ids: list[int], attempt: Callable[[int], ChatOutcome], model, task) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row_id in ids:
        outcome = attempt(row_id)
        if outcome == ChatOutcome.RETRYING:
            _schedule_retry(model, task, row_id)
        counts[outcome.value] = counts.get(outcome.value, 0) + 1
    return counts


@shared_task(name=DELIVER_CHAT_TASK, acks_late=True)
def deliver_chat(delivery_ids: list[int]) -> dict[str, int]:
    """One attempt per member-channel message; failures come back later as their own tasks."""
    return _run(delivery_ids, lambda i: chat_delivery_attempt(delivery_id=i), ChatDelivery, deliver_chat)


@shared_task(name=DELIVER_COMMUNITY_POSTS_TASK, acks_late=True)
def deliver_community_posts(post_ids: list[int]) -> dict[str, int]:
    """One attempt per community post; failures come back later as their own tasks."""
    return _run(post_ids, lambda i: community_post_attempt(post_id=i), CommunityPost, deliver_community_posts)


@shared_task(name="chat.sweep_pending")
def sweep_pending() -> int:
    """Periodic (beat): re-queue PENDING chat messages whose task was lost (how many is returned),
    and remove the channels whose confirmation code expired unconfirmed."""
    removed = expired_pending_channels_remove()
    if removed:
        logger.info("Removed %s chat channel(s) whose confirmation code expired unconfirmed", removed)
    return chat_sweep_pending()
