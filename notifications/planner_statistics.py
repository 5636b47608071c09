"""Fresh planner statistics for the notification table after a large fan-out.

PostgreSQL's autovacuum analyses a table once enough of it changed, on its own schedule (a
minute's nap, then the analysis). Until then the planner believes the table holds what it held
before: after an election added 286,500 emails to send, it took the due-email query of the
delivery pass that follows in the same `notify` (and the workers' claims) for a handful of
rows, and read every new one for each batch of 50: 0.4 s a batch, against 5 ms once analysed.
An ingest that made at least ANALYZE_AFTER_PENDING emails to send analyses the table itself,
once, before delivery starts: ANALYZE reads a fixed sample (about 0.3 s at 300,000 rows) and
blocks neither readers nor writers.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection

from notifications.models import Notification

logger = logging.getLogger(__name__)

ANALYZE_AFTER_PENDING = 10_000


def notification_statistics_refresh(*, pending_created: int) -> bool:
    """ANALYZE the notification table when an ingest made `pending_created` ≥ ANALYZE_AFTER_PENDING
    emails to send (PostgreSQL; SQLite plans without such statistics). True when it ran."""
    if connection.vendor != "postgresql" or pending_created < ANALYZE_AFTER_PENDING:
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Notification._meta.db_table)}")
    except DatabaseError as exc:  # e.g. not the table's owner: autovacuum still gets to it
        logger.warning("Could not analyse the notification table after a large fan-out: %s", exc)
        return False
    return True
