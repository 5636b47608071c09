"""Writing a page's notification drafts: streamed in bounded chunks, whatever the fan-out.

An election reaches every member, so one page can mean hundreds of thousands of rows; the
drafts arrive as a stream and pass through memory STAGE_CHUNK_ROWS at a time.

On PostgreSQL each chunk is COPYed into a temporary staging table (no WAL, no indexes), and
the page is moved into the notification table by ONE `INSERT … SELECT … ON CONFLICT DO
NOTHING`: the unique (member, event) constraint keeps a re-read page from duplicating
anything, RETURNING says which rows are new, and the statement-level triggers that keep the
per-member counts (notifications migration 0005) run once per page, not once per chunk. The
display data is shared by every row of an event, so it is staged once per chunk and joined,
not serialised per row. On SQLite each chunk goes through the ORM. Either way everything runs
in the caller's transaction, the one that also moves the ingest cursor.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from itertools import islice
from operator import attrgetter

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from notifications.models import EmailStatus, Notification
from qn_ingest.planning import NotificationDraft

# Rows per chunk (and new ids per call of on_new): large enough that per-statement costs
# vanish, small enough to keep memory flat.
STAGE_CHUNK_ROWS = 5000
_STAGE = "ingest_notification_stage"
_STAGE_DATA = "ingest_notification_stage_data"
_STAGE_NEW = "ingest_notification_stage_new"
# The drafts' columns, in order; `data` is staged apart, once per distinct payload.
_DRAFT_COLUMNS = [name for name in NotificationDraft._fields if name != "data"]
_draft_values = attrgetter(*_DRAFT_COLUMNS)
_DRAFT_FIELDS = [Notification._meta.get_field(name) for name in _DRAFT_COLUMNS]

# (new ids, the new PENDING ones among them): a bounded slice of a page's new rows.
NewRows = Callable[[list[int], list[int]], None]


def notifications_write(
    drafts: Iterable[NotificationDraft], *, on_new: NewRows, pending_queued_at: datetime | None = None
) -> int:
    """Insert the drafts that do not exist yet and return how many were created. The ids of the
    new rows, and of the new PENDING ones among them, go to `on_new` (to hand them to email and
    chat delivery), at most STAGE_CHUNK_ROWS per call. `pending_queued_at`: the new PENDING
    rows' email_queued_at, when `on_new` queues them for a worker in the same transaction (written
    with the rows rather than by an UPDATE of each of them afterwards).

    For one (member, event) the first draft wins. Must run inside the page transaction.
    """
    if connection.vendor == "postgresql":
        return _write_copy(drafts, on_new, pending_queued_at)
    created = 0
    for chunk in _chunks(drafts, STAGE_CHUNK_ROWS):
        created += _chunk_write_sqlite(chunk, on_new, pending_queued_at)
    return created


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


# --- PostgreSQL: COPY into a staging table, then one INSERT … ON CONFLICT DO NOTHING -------
def _stage_create(cursor) -> None:
    # Per session, emptied at every commit; truncated before each use as well, for callers
    # that write several pages in one transaction. The draft columns take the model's types.
    columns = ", ".join(f"{field.column} {field.db_type(connection)}" for field in _DRAFT_FIELDS)
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE} (seq integer, {columns}, data_key integer) "
        "ON COMMIT DELETE ROWS"
    )
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE_DATA} (data_key integer, data jsonb) ON COMMIT DELETE ROWS"
    )
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_STAGE_NEW} (id bigint PRIMARY KEY, pending boolean) "
        "ON COMMIT DELETE ROWS"
    )
    cursor.execute(f"TRUNCATE {_STAGE}, {_STAGE_DATA}, {_STAGE_NEW}")


def _defaults() -> tuple[list[str], list]:
    """Every other column of the notification table with the value a new row gets, read from
    the model so that a column added later is filled as the ORM would fill it."""
    now = timezone.now()
    names, values = [], []
    for field in Notification._meta.concrete_fields:
        if field.primary_key or field in _DRAFT_FIELDS or field.name in {"data", "email_queued_at"}:
            continue
        stamped = getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False)
        names.append(field.column)
        values.append(field.get_db_prep_save(now if stamped else field.get_default(), connection))
    return names, values


def _stage_chunk(cursor, chunk: list[NotificationDraft], first_seq: int, first_key: int) -> int:
    """COPY one chunk and its distinct display data; returns the next free data key."""
    payload_keys: dict[int, int] = {}  # id() of a display-data dict → its key
    payloads: list[dict] = []  # holds the dicts, so that no id() is reused while keyed
    columns = ", ".join(field.column for field in _DRAFT_FIELDS)
    with cursor.copy(f"COPY {_STAGE} (seq, {columns}, data_key) FROM STDIN") as copy:
        for seq, draft in enumerate(chunk, start=first_seq):
            key = payload_keys.get(id(draft.data))
            if key is None:
                key = payload_keys[id(draft.data)] = first_key + len(payloads)
                payloads.append(draft.data)
            copy.write_row((seq, *_draft_values(draft), key))
    with cursor.copy(f"COPY {_STAGE_DATA} (data_key, data) FROM STDIN") as copy:
        for key, data in enumerate(payloads, start=first_key):
            copy.write_row((key, json.dumps(data)))
    return first_key + len(payloads)


def _write_copy(drafts: Iterable[NotificationDraft], on_new: NewRows, queued_at: datetime | None) -> int:
    # psycopg's own cursor, for its COPY API; its errors raised as Django's, like the ORM's.
    with connection.cursor() as wrapper, connection.wrap_database_errors:
        cursor = wrapper.cursor
        _stage_create(cursor)
        staged = next_key = 0
        for chunk in _chunks(drafts, STAGE_CHUNK_ROWS):
            next_key = _stage_chunk(cursor, chunk, staged, next_key)
            staged += len(chunk)
        if not staged:
            return 0
        default_columns, default_values = _defaults()
        draft_columns = [field.column for field in _DRAFT_FIELDS]
        columns = ", ".join([*draft_columns, "data", "email_queued_at", *default_columns])
        values = ", ".join(
            [
                *(f"s.{name}" for name in draft_columns),
                "d.data",
                "CASE WHEN s.email_status = %s THEN %s::timestamptz END",
                *("%s" for _ in default_values),
            ]
        )
        # The ORDER BY's sort in memory rather than spilled to disk (this transaction only).
        cursor.execute("SET LOCAL work_mem = '64MB'")
        # ORDER BY seq: for a (member, event) drafted twice, the first draft is the one inserted.
        # The new ids stay in the database, to be read back a bounded list at a time.
        cursor.execute(
            f"WITH new AS (INSERT INTO {Notification._meta.db_table} ({columns}) "
            f"SELECT {values} FROM {_STAGE} s JOIN {_STAGE_DATA} d USING (data_key) ORDER BY s.seq "
            "ON CONFLICT (member_id, event_id) DO NOTHING RETURNING id, email_status) "
            f"INSERT INTO {_STAGE_NEW} SELECT id, email_status = %s FROM new",
            [EmailStatus.PENDING.value, queued_at, *default_values, EmailStatus.PENDING.value],
        )
        created = cursor.rowcount
        after = 0
        while created:
            cursor.execute(
                f"SELECT id, pending FROM {_STAGE_NEW} WHERE id > %s ORDER BY id LIMIT %s",
                [after, STAGE_CHUNK_ROWS],
            )
            rows = cursor.fetchall()
            if not rows:
                break
            on_new([pk for pk, _ in rows], [pk for pk, pending in rows if pending])
            after = rows[-1][0]
    return created


# --- SQLite: the ORM, one chunk at a time ----------------------------------------------------
def _chunk_write_sqlite(chunk: list[NotificationDraft], on_new: NewRows, queued_at: datetime | None) -> int:
    # SQLite runs one writing transaction at a time (IMMEDIATE, pioneer/settings.py) and its
    # ids only grow, so the rows above the highest id before the insert are exactly the new ones.
    before = Notification.objects.aggregate(highest=Max("id"))["highest"] or 0
    # INSERT OR IGNORE, in draft order: an existing (member, event), or a second draft of one,
    # is skipped.
    Notification.objects.bulk_create(
        [
            Notification(
                **{name: getattr(draft, name) for name in (*_DRAFT_COLUMNS, "data")},
                email_queued_at=queued_at if draft.email_status == EmailStatus.PENDING else None,
            )
            for draft in chunk
        ],
        ignore_conflicts=True,
    )
    new = list(Notification.objects.filter(id__gt=before).order_by("id").values_list("id", "email_status"))
    if new:
        on_new([pk for pk, _ in new], [pk for pk, status in new if status == EmailStatus.PENDING])
    return len(new)
