"""Two ingest runs started together inside a reminder window store each reminder once
(PostgreSQL: the ingest lock and the unique (member, eventId))."""

from __future__ import annotations

import threading

from django.db import connections

from qn_ingest.fake_node import proposals
from qn_ingest.services import ingest_run
from tests.reminders.conftest import LEAD, SIGNAL_VOTING, reminder_rows
from tests.services import require_postgres


def test_two_runs_started_together_remind_each_councillor_once(transactional_db, dao, chain, fake_query_node):
    require_postgres()
    proposal = proposals.create_proposal(dao, creator=1, block=100)
    chain.head = 100 + SIGNAL_VOTING - LEAD
    fake_query_node.latency = 0.2  # keep the first run busy while the second one starts
    barrier = threading.Barrier(2)
    results: list = []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(ingest_run())
        except Exception as exc:  # reported by the assertions below
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert all(not isinstance(result, Exception) for result in results), results
    event_id = f"reminder:proposal-voting:{proposal.id}:100"
    expected = [
        (2, "PROPOSAL_VOTE_LAST_DAY_COUNCILLOR", event_id),
        (3, "PROPOSAL_VOTE_LAST_DAY_COUNCILLOR", event_id),
    ]
    assert reminder_rows() == expected
    # and later runs add nothing
    ingest_run()
    assert reminder_rows() == expected
