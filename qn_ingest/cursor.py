"""Reading and moving the ingest cursor (docs/matching-rules.md, "Reading the query node: the cursor")."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from qn_ingest.models import IngestCursor


def cursor_get() -> IngestCursor:
    """The stored cursor, or an unsaved one at STARTING_BLOCK when nothing was ingested yet."""
    cursor = IngestCursor.objects.filter(pk=IngestCursor.SINGLETON_ID).first()
    return cursor or IngestCursor(block=settings.STARTING_BLOCK, event_ids=[])


def cursor_advance(*, block: int, event_ids: list[str]) -> IngestCursor:
    """Store the new position. Call inside the transaction that stores the page's notifications."""
    cursor, _ = IngestCursor.objects.update_or_create(
        pk=IngestCursor.SINGLETON_ID, defaults={"block": block, "event_ids": sorted(set(event_ids))}
    )
    return cursor


def cursor_reset(*, block: int) -> IngestCursor:
    """Operator action: re-ingest from `block`. Existing notifications are not duplicated
    ((member, event) is unique), so going back is safe."""
    if block < 0:
        raise ValueError("block must be zero or positive")
    with transaction.atomic():
        return cursor_advance(block=block, event_ids=[])
