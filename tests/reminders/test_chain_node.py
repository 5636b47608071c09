"""The chain behind the reminders: a handful of requests per run, the runtime's constants read
once per specVersion, a node that is down (or slow, or failing) costs the run its reminders and
nothing else, and with no CHAIN_RPC_URL the vendored runtime and an estimated head are used."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Notification
from qn_ingest.fake_chain import FakeChainNode
from qn_ingest.fake_node import proposals
from qn_ingest.fake_node.store import BLOCK_SECONDS, GENESIS
from qn_ingest.models import RuntimeVersionConstants
from qn_ingest.services import ingest_run
from tests.reminders.conftest import LEAD, SIGNAL_VOTING, reminders

REPO = Path(__file__).resolve().parents[2]
CREATED_AT = 100
OPENS = CREATED_AT + SIGNAL_VOTING - LEAD
COUNCILLORS = {2: "PROPOSAL_VOTE_LAST_DAY_COUNCILLOR", 3: "PROPOSAL_VOTE_LAST_DAY_COUNCILLOR"}


@pytest.fixture
def proposal(dao):
    return proposals.create_proposal(dao, creator=1, title="Fund the forum", block=CREATED_AT)


def test_a_run_asks_the_node_for_its_head_and_runtime_and_the_metadata_once_per_spec_version(chain, proposal):
    chain.head = OPENS
    ingest_run()
    assert chain.calls == ["chain_getHeader", "state_getRuntimeVersion", "state_getMetadata"]
    assert RuntimeVersionConstants.objects.get().spec_version == 2004

    chain.calls.clear()
    ingest_run()
    assert chain.calls == ["chain_getHeader", "state_getRuntimeVersion"]

    chain.upgrade(2005, chain.metadata)
    chain.calls.clear()
    ingest_run()
    assert chain.calls == ["chain_getHeader", "state_getRuntimeVersion", "state_getMetadata"]
    assert sorted(RuntimeVersionConstants.objects.values_list("spec_version", flat=True)) == [2004, 2005]


def test_a_node_that_is_down_then_up_reminds_once_it_answers(chain, proposal, fake_query_node, caplog):
    chain.head = OPENS
    chain.stop()  # the port now refuses connections
    # events still come in while the node is down
    proposals.vote(fake_query_node.data, proposal=proposal, voter=5, block=CREATED_AT + 1)

    with caplog.at_level(logging.WARNING):
        summary = ingest_run()

    assert summary.ran and summary.events == 2 and summary.reminders == 0
    assert "chain node could not be read" in summary.reminders_skipped
    assert Notification.objects.filter(kind="PROPOSAL_DECIDING_COUNCIL").count() == 2  # bob, carol
    assert reminders() == {}
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "no deadline reminders this run" in warnings[0].getMessage()

    chain.start()  # same port: the node is back, the window still open
    assert ingest_run().reminders == 2
    assert reminders() == COUNCILLORS


@pytest.mark.parametrize("fault", ["error", "500", "timeout"])
def test_a_failing_or_slow_node_gives_no_reminder_that_run(chain, proposal, settings, fault):
    settings.CHAIN_RPC_TIMEOUT_SECONDS = 0.3
    chain.timeout_delay = 1.0
    chain.head = OPENS
    chain.fail_always(fault)

    summary = ingest_run()

    assert summary.ran and summary.reminders == 0 and summary.reminders_skipped
    assert reminders() == {}
    chain.fail_always(None)
    assert ingest_run().reminders == 2


def test_notify_exits_zero_with_one_warning_line_when_the_node_is_unreachable(
    chain, proposal, capsys, caplog
):
    chain.stop()

    with caplog.at_level(logging.WARNING):
        call_command("notify")  # a failure would raise CommandError (exit status 1)

    assert "Ingest done:" in capsys.readouterr().out
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "no deadline reminders this run" in warnings[0]


def test_a_node_behind_an_unknown_address_scheme_is_refused_at_start():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "pioneer.settings", "CHAIN_RPC_URL": "ftp://node:9944"},
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "CHAIN_RPC_URL must start with ws://, wss://, http:// or https://" in result.stderr


# --- no CHAIN_RPC_URL: the vendored runtime, and the head estimated from the newest event ----
def _estimated_head() -> int:
    """The head a run estimates now from the fake node's events, whose times are GENESIS + 6 s
    per block: the number of blocks since GENESIS."""
    return int((timezone.now() - GENESIS).total_seconds() // BLOCK_SECONDS)


def test_without_a_node_the_head_is_estimated_from_the_newest_indexed_event(settings, dao):
    settings.CHAIN_RPC_URL = ""
    # a proposal whose voting period ends two hours after the estimated head
    created = _estimated_head() + 1200 - SIGNAL_VOTING
    proposals.create_proposal(dao, creator=1, title="Estimated", block=created)

    summary = ingest_run()

    assert summary.reminders == 2 and reminders() == COUNCILLORS
    deadline = Notification.objects.filter(event_id__startswith="reminder:").first().data["deadline"]
    assert deadline["block"] == created + SIGNAL_VOTING
    assert deadline["left"] in ("1 hour", "2 hours")  # the estimate may be a block or two behind
    # the end block's time at 6 s per block, as the fake node dates its events (to the minute)
    expected = GENESIS + timedelta(seconds=(created + SIGNAL_VOTING) * BLOCK_SECONDS)
    stated = datetime.strptime(deadline["time"], "%Y-%m-%d %H:%M UTC").replace(tzinfo=UTC)
    assert abs(stated - expected) < timedelta(minutes=1)


def test_without_a_node_a_stage_far_in_the_past_is_not_reminded(settings, dao):
    settings.CHAIN_RPC_URL = ""
    proposals.create_proposal(dao, creator=1, title="Old", block=CREATED_AT)  # in 2024

    assert ingest_run().reminders == 0


def test_a_websocket_address_that_refuses_is_unreachable_too(settings, proposal):
    node = FakeChainNode().start()
    port = node.port
    node.stop()
    settings.CHAIN_RPC_URL = f"ws://127.0.0.1:{port}"

    summary = ingest_run()

    assert summary.reminders == 0 and "cannot connect" in summary.reminders_skipped
