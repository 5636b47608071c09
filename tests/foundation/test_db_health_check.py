"""The PostgreSQL health check (pioneer/db_backends/postgresql): no round trip for a live
connection, and a connection the server dropped is still found out and replaced."""

from __future__ import annotations

import pytest
from django.db import connection, connections

from tests.polling import wait_until
from tests.services import require_postgres


@pytest.fixture
def own_connection():
    """A connection of its own, configured as the service's, outside the test's transaction."""
    require_postgres()
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def _backend_pid(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _last_query_of(pid: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_backend_is_ours_and_checks_health(own_connection):
    assert type(own_connection).__module__ == "pioneer.db_backends.postgresql.base"
    assert own_connection.vendor == "postgresql"
    assert own_connection.health_check_enabled


@pytest.mark.django_db(transaction=True)
def test_a_live_idle_connection_is_usable_without_a_query(own_connection):
    pid = _backend_pid(own_connection)
    with own_connection.cursor() as cursor:
        cursor.execute("SELECT 'the last statement before the check'")

    assert own_connection.is_usable()
    # Django's check would have sent SELECT 1: the server saw nothing after our statement.
    assert _last_query_of(pid) == "SELECT 'the last statement before the check'"


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_dropped_is_replaced_at_the_next_request(own_connection):
    pid = _backend_pid(own_connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    # The server's goodbye reaches the socket in its own time: wait for the check to see it.
    wait_until(lambda: not own_connection.is_usable(), timeout=10, interval=0.05, what="the drop seen")

    # What a new request does (Django's request_started): the health check closes the dead
    # connection, and the request's query runs on a fresh one.
    own_connection.close_if_unusable_or_obsolete()
    with own_connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid


@pytest.mark.django_db(transaction=True)
def test_a_connection_inside_a_transaction_is_checked_with_a_query(own_connection):
    pid = _backend_pid(own_connection)
    own_connection.set_autocommit(False)
    with own_connection.cursor() as cursor:
        cursor.execute("SELECT 'inside a transaction'")
    assert own_connection.is_usable()
    # Not idle: the cheap check does not apply, Django's SELECT 1 ran.
    assert _last_query_of(pid) == "SELECT 1"
    own_connection.rollback()
    own_connection.set_autocommit(True)
