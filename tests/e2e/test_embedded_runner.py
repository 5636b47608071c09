"""`make run`'s embedded mode, as a user runs it: one command, no PostgreSQL, no Redis.

The runner (pioneer/runner.py) is started on SQLite in a temporary folder with no broker
configured and pointed at a fake query node; a notification must appear in the API and its
email in the mail folder, and one SIGINT (Ctrl-C) must stop every process it started.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys

import pytest
import requests

from tests.e2e.processes import ProcessSet
from tests.e2e.services import GraphQL, QueryNodeControl, free_port, processes_with_marker, read_email
from tests.polling import DeadlineExceeded, wait_until

pytestmark = pytest.mark.e2e

NOTIFICATIONS = "query { notifications { kind entityId emailStatus } }"
JWT = re.compile(r"member 1 \(.*?\): (eyJ[\w-]+\.[\w-]+\.[\w-]+)")
# What the runner must not inherit from the test environment: it decides these itself.
CHOSEN_BY_THE_RUNNER = ("CELERY_BROKER_URL", "SENDGRID_API_KEY", "MAILGUN_API_KEY", "EMAIL_PROVIDER")


def test_make_run_embedded_mode_notifies_and_writes_the_email(tmp_path):
    api_port, qn_port = free_port(), free_port()
    env = {name: value for name, value in os.environ.items() if name not in CHOSEN_BY_THE_RUNNER}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'pioneer.sqlite3'}",
            "CELERY_BROKER_DIR": str(tmp_path / "broker"),
            "EMAIL_URL": f"filemail://{tmp_path / 'mail'}",
            "PORT": str(api_port),
            "GUNICORN_BIND_HOST": "127.0.0.1",
            "WEB_CONCURRENCY": "1",
            "QUERY_NODE_ENDPOINT": f"http://127.0.0.1:{qn_port}/graphql",
            "INITIAL_MEMBERSHIPS": json.dumps([{"id": 1, "name": "alice", "email": "alice@embedded.test"}]),
            "NOTIFY_INTERVAL_SECONDS": "1",
            "PIONEER_URL": "https://pioneer.embedded.test",
            "PIONEER_ENV": "development",
        }
    )
    processes = ProcessSet(tmp_path, env)
    # Only the runner and its children carry this in their environment.
    marker = f"PIONEER_E2E_RUNNER={secrets.token_hex(8)}"
    try:
        qn = processes.start(
            "query-node",
            [sys.executable, "-m", "tests.e2e.query_node", "--port", str(qn_port)],
            stdin=subprocess.PIPE,
        )
        chain = QueryNodeControl(qn.popen.stdin, f"http://127.0.0.1:{qn_port}/")
        chain.member(id=1, handle="alice", controller_account="j4alice")
        chain.member(id=2, handle="bob", controller_account="j4bob")
        chain.category(id="10", title="General")
        chain.thread(id="20", author="1", category="10", title="Alice's plan", text="Plan", event=False)
        chain.post(id="21", thread="20", author="2", text="Count me in")

        runner = processes.start(
            "runner", [sys.executable, "-m", "pioneer.runner"], env=dict([marker.split("=")])
        )
        token = wait_until(
            lambda: (match := JWT.search(runner.log_tail(200))) and match.group(1),
            timeout=90,
            what="the runner prints the seeded member's token",
        )
        api = GraphQL(f"http://127.0.0.1:{api_port}/graphql")

        def alice_notified():
            feed = api(NOTIFICATIONS, token=token)["notifications"]
            return feed if feed and feed[0]["emailStatus"] == "SENT" else None

        feed = wait_until(alice_notified, timeout=60, what="Alice's notification is SENT")
        assert feed == [{"kind": "FORUM_THREAD_CREATOR", "entityId": "21", "emailStatus": "SENT"}]
        [mail] = [read_email(path) for path in (tmp_path / "mail").glob("*.log")]
        assert "alice@embedded.test" in mail.to
        assert "https://pioneer.embedded.test/#/forum/thread/20?post=21" in mail.text
        assert requests.get(f"http://127.0.0.1:{api_port}/healthz", timeout=5).status_code == 200

        # One Ctrl-C stops the runner and everything it started.
        assert processes.stop(runner, sig=signal.SIGINT, timeout=40) == 0
        assert not processes_with_marker(marker), "the runner left processes behind"
    except DeadlineExceeded as exc:
        raise DeadlineExceeded(f"{exc}\n{processes.describe()}") from None
    finally:
        leaked = processes.stop_all()
        survivors = processes_with_marker(marker)
        assert not leaked and not survivors, f"left behind: {leaked} {survivors}"


def test_a_dying_child_stops_the_others_and_the_runner_says_which(tmp_path):
    marker = f"PIONEER_E2E_RUNNER={secrets.token_hex(8)}"
    env = {name: value for name, value in os.environ.items() if name not in CHOSEN_BY_THE_RUNNER}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'pioneer.sqlite3'}",
            "CELERY_BROKER_DIR": str(tmp_path / "broker"),
            "EMAIL_URL": "consolemail://",
            "PORT": str(free_port()),
            "GUNICORN_BIND_HOST": "127.0.0.1",
            "WEB_CONCURRENCY": "1",
            "QUERY_NODE_ENDPOINT": "http://127.0.0.1:9/graphql",
            "PIONEER_ENV": "development",
        }
    )
    processes = ProcessSet(tmp_path, env)
    try:
        runner = processes.start(
            "runner", [sys.executable, "-m", "pioneer.runner"], env=dict([marker.split("=")])
        )

        def the_worker_pid():
            return next(
                (pid for pid, command in processes_with_marker(marker) if "pioneer worker" in command), None
            )

        worker_pid = wait_until(the_worker_pid, timeout=90, what="the runner starts a Celery worker")
        os.kill(worker_pid, signal.SIGKILL)

        assert runner.popen.wait(timeout=40) == 1
        assert f"worker exited with code -{signal.SIGKILL.value}; stopping the others" in runner.log_tail(100)
        assert not processes_with_marker(marker), "the runner left processes behind"
    except DeadlineExceeded as exc:
        raise DeadlineExceeded(f"{exc}\n{processes.describe()}") from None
    finally:
        leaked = processes.stop_all()
        survivors = processes_with_marker(marker)
        assert not leaked and not survivors, f"left behind: {leaked} {survivors}"
