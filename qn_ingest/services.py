"""The ingest: query-node events → notifications, page by page (docs/matching-rules.md,
"Reading the query node: the cursor").

Each page is read, normalised and planned outside any transaction, then written in ONE
transaction together with the cursor advance and the hand-off to delivery. A crash or a
query-node error therefore loses nothing and duplicates nothing: the next run re-reads from
the stored cursor, and (member, event) is unique. Memory is bounded by one page's events
and one chunk of its notifications (qn_ingest.bulk_write), whatever the fan-out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chat.fanout import chat_deliveries_create, community_posts_create
from notifications.dispatch import delivery_runs_inline
from notifications.planner_statistics import notification_statistics_refresh
from notifications.services import notifications_hand_off_for_delivery
from qn_ingest.bulk_write import notifications_write
from qn_ingest.client import QueryNodeClient, QueryNodeResponseError
from qn_ingest.community import community_events
from qn_ingest.cursor import cursor_advance, cursor_get
from qn_ingest.fetch import QueryNodeReader
from qn_ingest.locking import ingest_lock
from qn_ingest.normalize import page_normalize
from qn_ingest.planning import NotificationDraft, notification_drafts_stream
from qn_ingest.reminders import reminders_plan

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageProgress:
    """What one stored page did (for `notify`'s progress line)."""

    page: int
    block: int  # the block the cursor reached
    events: int
    notifications: int  # notifications created by this page


@dataclass(frozen=True)
class IngestSummary:
    ran: bool  # False when another ingest held the lock
    start_block: int = 0
    block: int = 0  # where the cursor stands now
    pages: int = 0
    events: int = 0
    skipped_events: int = 0  # events whose data was unusable (logged)
    notifications: int = 0  # reminders included
    pending: int = 0  # of which handed to email delivery
    duration_seconds: float = 0.0
    reason: str = ""
    reminders: int = 0  # of the notifications, those the reminder pass made (docs/kinds/reminders.md)
    reminders_skipped: str = ""  # why the reminder pass made none (the chain could not be read)


@dataclass
class _PageWrite:
    created: int = 0
    pending: int = 0


def _notifications_store(drafts: Iterable[NotificationDraft]) -> _PageWrite:
    """Write the page's new notifications and hand the new ones to email and chat delivery, a
    bounded list at a time. Must run inside the page transaction (under the ingest lock)."""
    page = _PageWrite()

    def hand_off(new_ids: list[int], pending_ids: list[int]) -> None:
        notifications_hand_off_for_delivery(notification_ids=pending_ids, marked_queued=True)
        # chat is independent of email: every new notification may be posted
        chat_deliveries_create(notification_ids=new_ids)
        page.pending += len(pending_ids)

    # With a broker the hand-off queues the new PENDING rows for a worker: they are written
    # marked as queued.
    queued_at = None if delivery_runs_inline() else timezone.now()
    page.created = notifications_write(drafts, on_new=hand_off, pending_queued_at=queued_at)
    return page


def _next_position(cursor_block: int, cursor_ids: list[str], nodes: list[dict]) -> tuple[int, list[str]]:
    """The cursor after `nodes`: their last block, with the ids processed in it so far."""
    last_block = nodes[-1]["inBlock"]
    in_last = [node["id"] for node in nodes if node["inBlock"] == last_block]
    if last_block == cursor_block:
        in_last = list(cursor_ids) + in_last
    return last_block, in_last


def ingest_run(
    *,
    on_page: Callable[[PageProgress], None] | None = None,
    client: QueryNodeClient | None = None,
    page_size: int | None = None,
) -> IngestSummary:
    """Ingest every new query-node event. Returns at once (ran=False) if another ingest runs.

    Raises QueryNodeError when the query node cannot be read; pages stored before stay stored.
    """
    started = time.monotonic()
    page_size = max(1, page_size or settings.INGEST_PAGE_SIZE)
    with ingest_lock() as acquired:
        if not acquired:
            logger.info("Ingest skipped: another ingest is running")
            return IngestSummary(ran=False, reason="another ingest is running")
        reader = QueryNodeReader(client)
        cursor = cursor_get()
        block, processed = cursor.block, list(cursor.event_ids)
        start_block = block
        pages = events = skipped = created = pending = reminders = 0
        reminders_skipped = ""
        outcome = "failed"
        try:
            while True:
                nodes = reader.events_page(block=block, exclude_ids=processed, limit=page_size)
                if not nodes:
                    break
                if any(node["inBlock"] < block or node["id"] in processed for node in nodes):
                    # Re-reading processed events would loop forever: refuse the answer.
                    raise QueryNodeResponseError(
                        "the query node ignored the cursor filter of the events query"
                    )
                page_events = page_normalize(nodes, reader)
                drafts = (
                    notification_drafts_stream(events=page_events, roles=reader.roles())
                    if page_events
                    else ()
                )
                next_block, next_processed = _next_position(block, processed, nodes)
                with transaction.atomic():
                    stored = _notifications_store(drafts)
                    cursor_advance(block=next_block, event_ids=next_processed)
                    community_posts_create(events=community_events(page_events))
                block, processed = next_block, next_processed
                pages += 1
                events += len(nodes)
                skipped += len(nodes) - len(page_events)
                created += stored.created
                pending += stored.pending
                if on_page:
                    on_page(
                        PageProgress(page=pages, block=block, events=len(nodes), notifications=stored.created)
                    )
                if len(nodes) < page_size:
                    break
            # After the events: the deadlines whose reminder window is open (same store, same
            # uniqueness; a chain node that cannot be read only leaves this empty).
            plan = reminders_plan(reader)
            with transaction.atomic():
                stored = _notifications_store(plan.drafts)
            reminders, reminders_skipped = stored.created, plan.reason
            created += stored.created
            pending += stored.pending
            notification_statistics_refresh(pending_created=pending)  # before delivery reads them
            outcome = "finished"
        finally:
            logger.info(
                "Ingest %s: blocks %d→%d, %d pages, %d events (%d skipped), %d notifications "
                "(%d to email) in %.2fs, %d of them reminders",
                outcome,
                start_block,
                block,
                pages,
                events,
                skipped,
                created,
                pending,
                time.monotonic() - started,
                reminders,
            )
    return IngestSummary(
        ran=True,
        start_block=start_block,
        block=block,
        pages=pages,
        events=events,
        skipped_events=skipped,
        notifications=created,
        pending=pending,
        duration_seconds=time.monotonic() - started,
        reminders=reminders,
        reminders_skipped=reminders_skipped,
    )
