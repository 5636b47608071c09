"""The running system for end-to-end tests: PostgreSQL + Redis + separate OS processes for
the API (gunicorn), a Celery worker, Celery beat, the fake query node and an SMTP sink.

Tests talk to it only over HTTP and SMTP. Everything it starts is stopped at the end, and
the run fails if any process carrying this run's environment is still alive.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.e2e.processes import BIN, ProcessSet, ServiceProcess
from tests.e2e.services import (
    GraphQL,
    QueryNodeControl,
    dedicated_postgres_database,
    dedicated_redis_db,
    free_port,
    processes_with_marker,
)
from tests.polling import DeadlineExceeded, wait_until

PIONEER_URL = "https://pioneer.e2e.test"
START_TIMEOUT = 60
WORKER_ARGV = [
    str(BIN / "celery"), "-A", "pioneer", "worker", "--pool", "threads", "--concurrency", "4",
    "--without-mingle", "--without-gossip", "--without-heartbeat", "--loglevel", "info",
]  # fmt: skip


@dataclass
class System:
    processes: ProcessSet
    api: GraphQL
    api_url: str
    query_node: QueryNodeControl
    mail_dir: Path
    worker: ServiceProcess
    marker: str

    def start_worker(self) -> ServiceProcess:
        worker = self.processes.start("worker", WORKER_ARGV)
        wait_until(
            lambda: "ready." in worker.log_tail(200), timeout=START_TIMEOUT, what="the worker is ready"
        )
        self.worker = worker
        return worker

    def wait(self, check, *, timeout: float, what: str):
        """wait_until, with every process's state and log tail in the failure message."""
        try:
            return wait_until(check, timeout=timeout, what=what)
        except DeadlineExceeded as exc:
            raise DeadlineExceeded(f"{exc}\n{self.processes.describe()}") from None

    def set_mail_hold(self, seconds: float) -> None:
        """How long the SMTP sink waits before accepting each message (see mail_sink.py)."""
        (self.mail_dir / "hold_seconds").write_text(str(seconds))


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    work = tmp_path_factory.mktemp("e2e")
    mail_dir = work / "mail"
    mail_dir.mkdir()
    with dedicated_postgres_database() as database_url, dedicated_redis_db() as broker_url:
        api_port, qn_port, smtp_port = free_port(), free_port(), free_port()
        env = {
            "PATH": str(BIN) + ":/usr/bin:/bin",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "pioneer.settings",
            "PIONEER_ENV": "development",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "QUERY_NODE_ENDPOINT": f"http://127.0.0.1:{qn_port}/graphql",
            "QUERY_NODE_BACKOFF_SECONDS": "0.2",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "EMAIL_SENDER": "Pioneer Notify <notify@e2e.test>",
            "PIONEER_URL": PIONEER_URL,
            "PORT": str(api_port),
            "PUBLIC_URL": f"http://127.0.0.1:{api_port}",
            "GUNICORN_BIND_HOST": "127.0.0.1",
            "WEB_CONCURRENCY": "1",
            "APP_LOG_LEVEL": "info",
            # Short loops so a test sees the result in seconds (schedules are made at migrate).
            "NOTIFY_INTERVAL_SECONDS": "1",
            "EMAIL_SWEEP_INTERVAL_SECONDS": "2",
            "EMAIL_SWEEP_GRACE_SECONDS": "4",
            "EMAIL_RETRY_BACKOFF_SECONDS": "1",
            # Twice the slowest send of these tests (the held SMTP answer): a killed worker's
            # batch is claimable again within seconds.
            "EMAIL_CLAIM_LEASE_SECONDS": "3",
        }
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"],
            cwd=Path(__file__).resolve().parents[2],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert migrate.returncode == 0, migrate.stdout + migrate.stderr

        processes = ProcessSet(work, env)
        marker = database_url.rsplit("/", 1)[-1]
        try:
            qn = processes.start(
                "query-node",
                [sys.executable, "-m", "tests.e2e.query_node", "--port", str(qn_port)],
                stdin=subprocess.PIPE,
            )
            processes.start(
                "smtp-sink",
                [
                    sys.executable,
                    "-m",
                    "tests.e2e.mail_sink",
                    "--port",
                    str(smtp_port),
                    "--dir",
                    str(mail_dir),
                ],
            )
            processes.start("api", [str(BIN / "gunicorn"), "-c", "pioneer/gunicorn.conf.py", "pioneer.wsgi"])
            processes.start(
                "beat",
                [str(BIN / "celery"), "-A", "pioneer", "beat", "--loglevel", "info", "--max-interval", "1"]
                + ["--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"],
            )
            api_url = f"http://127.0.0.1:{api_port}"
            system = System(
                processes=processes,
                api=GraphQL(f"{api_url}/graphql"),
                api_url=api_url,
                query_node=QueryNodeControl(qn.popen.stdin, f"http://127.0.0.1:{qn_port}/"),
                mail_dir=mail_dir,
                worker=None,  # type: ignore[arg-type]
                marker=marker,
            )
            system.start_worker()
            wait_until(
                lambda: requests.get(f"{api_url}/healthz", timeout=2).status_code == 200,
                timeout=START_TIMEOUT,
                what="the API answers /healthz",
            )
            wait_until(
                lambda: requests.get(system.query_node.url, timeout=2).ok,
                timeout=START_TIMEOUT,
                what="the query node answers",
            )
            yield system
        except BaseException:
            print(processes.describe())
            raise
        finally:
            leaked = processes.stop_all()
            survivors = processes_with_marker(marker)
            assert not leaked and not survivors, f"left behind: {leaked} {survivors}"
