"""Writing a page's notification drafts: streamed in bounded chunks, whatever the fan-out.

An election reaches every member, so one page can mean hundreds of thousands of rows; the
drafts arrive as a stream and are written STAGE_CHUNK_ROWS at a time, so memory is bounded
by a chunk, not by the page.

On PostgreSQL a chunk is COPYed into a temporary staging table (no WAL, no indexes) and moved
into the notification table by one `INSERT … SELECT … ON CONFLICT DO NOTHING`: the unique
(member, event) constraint keeps a re-read page from duplicating anything, and RETURNING says
which rows are new. The display data is shared by every row of an event, so it is staged once
per chunk and joined, not serialised per row. Elsewhere (SQLite) the chunk goes through the
ORM. Either way everything runs in the caller's transaction, the one that also moves the
ingest cursor.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from itertools import islice

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from notifications.models import EmailStatus, Notification
from qn_ingest.planning import NotificationDraft

# Rows per chunk: large enough that per-statement costs vanish, small enough to keep memory flat.
STAGE_CHUNK_ROWS = 5000
_STAGE = "ingest_notification_stage"
_STAGE_DATA = "ingest_notification_stage_data"
# The drafts' columns, in order; `data` is staged apart, once per distinct payload.
_DRAFT_COLUMNS = [field.name for field in fields(NotificationDraft) if field.name != "data"]


@dataclass(frozen=True)
class StoredChunk:
    created: int
    pending_ids: list[int]  # the new rows whose email is to be sent


def notifications_write(
    drafts: Iterable[NotificationDraft], *, on_chunk: Callable[[StoredChunk], None]
) -> int:
    """Insert the drafts that do not exist yet, chunk by chunk, calling `on_chunk` after each
    (to hand the new PENDING rows to delivery). Returns how many rows were created.

    For one (member, event) the first draft wins. Must run inside the page transaction.
    """
    write = _chunk_write_copy if connection.vendor == "postgresql" else _chunk_write_sqlite
    created = 0
    for chunk in _chunks(drafts, STAGE_CHUNK_ROWS):
        stored = write(chunk)
        created += stored.created
        on_chunk(stored)
    return created


def _chunks(drafts: Iterable[NotificationDraft], size: int) -> Iterator[list[NotificationDraft]]:
    iterator = iter(drafts)
    while chunk := list(islice(iterator, size)):
        yield chunk


# --- PostgreSQL: COPY into a staging table, then one INSERT … ON CONFLICT DO NOTHING -------
def _stage_create(cursor) -> None:
    # Per session, emptied at every commit; truncated before each use as well, for callers
    # that write several chunks (or pages) in one transaction.
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} (seq integer, member_id bigint, kind text, "
        "event_id text, entity_id text, in_block bigint, email_status text, data_key integer) "
        "ON COMMIT DELETE ROWS"
    )
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE_DATA} (data_key integer, data jsonb) ON COMMIT DELETE ROWS"
    )
    cursor.execute(f"TRUNCATE {_STAGE}, {_STAGE_DATA}")


def _defaults() -> tuple[list[str], list]:
    """Every other column of the notification table with the value a new row gets, read from
    the model so that a column added later is filled as the ORM would fill it."""
    now = timezone.now()
    names, values = [], []
    for field in Notification._meta.concrete_fields:
        if field.primary_key or field.name in _DRAFT_COLUMNS or field.name in {"member", "data"}:
            continue
        value = (
            now
            if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False)
            else field.get_default()
        )
        names.append(field.column)
        values.append(field.get_db_prep_save(value, connection))
    return names, values


def _chunk_write_copy(chunk: list[NotificationDraft]) -> StoredChunk:
    payload_keys: dict[int, int] = {}  # id() of a display-data dict → its key in this chunk
    payloads: list[dict] = []  # holds the dicts, so that no id() is reused while keyed
    with connection.cursor() as cursor:
        _stage_create(cursor)
        with cursor.cursor.copy(
            f"COPY {_STAGE} (seq, {', '.join(_DRAFT_COLUMNS)}, data_key) FROM STDIN"
        ) as copy:
            for seq, draft in enumerate(chunk):
                key = payload_keys.get(id(draft.data))
                if key is None:
                    key = payload_keys[id(draft.data)] = len(payloads)
                    payloads.append(draft.data)
                copy.write_row(
                    (
                        seq,
                        draft.member_id,
                        draft.kind,
                        draft.event_id,
                        draft.entity_id,
                        draft.in_block,
                        draft.email_status,
                        key,
                    )
                )
        with cursor.cursor.copy(f"COPY {_STAGE_DATA} (data_key, data) FROM STDIN") as copy:
            for key, data in enumerate(payloads):
                copy.write_row((key, json.dumps(data)))
        default_columns, default_values = _defaults()
        columns = ", ".join([*_DRAFT_COLUMNS, "data", *default_columns])
        staged = ", ".join(f"s.{name}" for name in _DRAFT_COLUMNS)
        placeholders = "".join(", %s" for _ in default_values)
        # ORDER BY seq: for a (member, event) drafted twice, the first draft is the one inserted.
        cursor.execute(
            f"WITH new AS (INSERT INTO {Notification._meta.db_table} ({columns}) "
            f"SELECT {staged}, d.data{placeholders} FROM {_STAGE} s JOIN {_STAGE_DATA} d USING (data_key) "
            "ORDER BY s.seq ON CONFLICT (member_id, event_id) DO NOTHING RETURNING id, email_status) "
            "SELECT count(*), coalesce(array_agg(id ORDER BY id) FILTER (WHERE email_status = %s), '{}') "
            "FROM new",
            [*default_values, EmailStatus.PENDING.value],
        )
        created, pending_ids = cursor.fetchone()
    return StoredChunk(created=created, pending_ids=list(pending_ids))


# --- SQLite: the ORM, one chunk at a time ----------------------------------------------------
def _chunk_write_sqlite(chunk: list[NotificationDraft]) -> StoredChunk:
    # SQLite runs one writing transaction at a time (IMMEDIATE, pioneer/settings.py) and its
    # ids only grow, so the rows above the highest id before the insert are exactly the new ones.
    before = Notification.objects.aggregate(highest=Max("id"))["highest"] or 0
    # INSERT OR IGNORE, in draft order: an existing (member, event), or a second draft of one,
    # is skipped.
    Notification.objects.bulk_create(
        [
            Notification(**{name: getattr(draft, name) for name in (*_DRAFT_COLUMNS, "data")})
            for draft in chunk
        ],
        ignore_conflicts=True,
    )
    new = Notification.objects.filter(id__gt=before)
    pending_ids = list(
        new.filter(email_status=EmailStatus.PENDING).order_by("id").values_list("id", flat=True)
    )
    return StoredChunk(created=new.count(), pending_ids=pending_ids)
