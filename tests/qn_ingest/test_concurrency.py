"""Two ingests never run at once: the second returns at once and says so."""

from __future__ import annotations

import threading

from django.db import connection, connections

from notifications.models import Notification
from qn_ingest.locking import ingest_lock
from qn_ingest.services import ingest_run
from tests.factories import MemberFactory
from tests.services import require_postgres


def _in_thread(target, results: list, barrier: threading.Barrier | None = None) -> threading.Thread:
    def run():
        try:
            if barrier:
                barrier.wait(timeout=10)
            results.append(target())
        except Exception as exc:  # reported by the assertions of the test
            results.append(exc)
        finally:
            connections.close_all()  # this thread's own database connection

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _forum_with_posts(data, count: int) -> list[str]:
    MemberFactory(id=1, name="alice")
    MemberFactory(id=2, name="bob")
    alice, bob = data.member(1, handle="alice"), data.member(2, handle="bob")
    thread = data.thread(author=alice, category=data.category("Lobby"), event=False)
    return [data.post(thread=thread, author=bob, text=str(i)).event.id for i in range(count)]


def test_two_ingests_started_together_on_postgres_create_each_notification_once(
    transactional_db, fake_query_node
):
    require_postgres()
    events = _forum_with_posts(fake_query_node.data, 6)
    fake_query_node.latency = 0.2  # keep the first run busy while the second one starts
    barrier = threading.Barrier(2)
    results: list = []

    threads = [_in_thread(lambda: ingest_run(page_size=2), results, barrier) for _ in range(2)]
    for thread in threads:
        thread.join(timeout=60)

    assert all(not isinstance(result, Exception) for result in results), results
    assert sorted(result.ran for result in results) == [False, True]
    skipped = next(result for result in results if not result.ran)
    assert skipped.reason == "another ingest is running"
    assert sorted(Notification.objects.values_list("event_id", flat=True)) == sorted(events)
    # and once the first is done, the lock is free again
    assert ingest_run().ran is True


def test_a_held_lock_makes_another_ingest_return_at_once(transactional_db, fake_query_node):
    _forum_with_posts(fake_query_node.data, 2)
    results: list = []
    with ingest_lock() as acquired:
        assert acquired is True
        _in_thread(ingest_run, results).join(timeout=30)
    assert [result.ran for result in results] == [False]
    assert Notification.objects.count() == 0
    assert fake_query_node.operations() == []  # it did not even read the query node
    assert ingest_run().ran is True
    assert Notification.objects.count() == 2
    assert connection.vendor in {"postgresql", "sqlite"}
