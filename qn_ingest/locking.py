"""The one-ingest-at-a-time lock.

PostgreSQL: a session-level advisory lock on the connection doing the ingest. It spans the
run's page transactions and is released by the server if the process dies (the connection
closes), so a crash never leaves it stuck.

SQLite (development; SQLite has no row or advisory locks): an exclusive `flock` on a lock
file derived from the database name; the kernel drops it when the process dies.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)

# Arbitrary but fixed: "pioneer-notify ingest" as a signed 64-bit key.
ADVISORY_LOCK_KEY = 0x70696E67657374


def _lock_file_path() -> Path:
    name = str(connection.settings_dict.get("NAME") or "default")
    if name == ":memory:" or "mode=memory" in name:
        # An in-memory database (the tests') belongs to this process alone: so does its lock.
        name = f"{name}#{os.getpid()}"
    digest = hashlib.sha256(os.path.abspath(name).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"pioneer-notify-ingest-{digest}.lock"


@contextmanager
def _postgres_lock() -> Iterator[bool]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        acquired = bool(cursor.fetchone()[0])
    try:
        yield acquired
    finally:
        if acquired:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
            except DatabaseError:
                # The connection is broken: the server has dropped the session and its lock.
                logger.warning("Could not release the ingest lock; the connection is gone", exc_info=True)


@contextmanager
def _file_lock() -> Iterator[bool]:
    handle = open(_lock_file_path(), "a+")  # noqa: SIM115 - held for the whole run
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


@contextmanager
def ingest_lock() -> Iterator[bool]:
    """Yields True when this process now runs the ingest, False when another run holds it."""
    lock = _postgres_lock if connection.vendor == "postgresql" else _file_lock
    with lock() as acquired:
        yield acquired
