"""Django's PostgreSQL backend with a health check that makes no round trip for a live connection.

Persistent connections (CONN_MAX_AGE) are checked at the first query of every request
(CONN_HEALTH_CHECKS), so that a connection the server dropped while it sat idle (a restart,
`idle_session_timeout`, a proxy closing it) is replaced instead of failing the request. Django
checks with `SELECT 1`: one round trip per request, as many as the whole of a cached feed poll
(docs/benchmarks.md, "Feed cache").

A server that drops a connection says so on its socket: it sends its FATAL message and closes,
and the socket of an idle connection becomes readable. An idle connection whose socket has
nothing to read is alive as far as any check could tell without waiting on the network, so it
is used as is; one with something to read, in a transaction, or in error goes through Django's
`SELECT 1` as before. A peer that vanished without closing (a dead host) is not seen either
way: `SELECT 1` would wait on it as long as the request's own query does.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        idle = connection.info.transaction_status == pq.TransactionStatus.IDLE
        if idle and not _readable(connection.fileno()):
            return True
        return super().is_usable()


def _readable(fd: int) -> bool:
    """Whether the socket has something to read (or hung up), without waiting."""
    poller = select.poll()
    poller.register(fd, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))
