"""What every benchmark row needs: a scratch PostgreSQL database, `manage.py` run as its own
process with its peak memory, and the statistics the results are quoted in.

The machine is shared and noisy, so no figure stands alone: each row times its floor in the
same run, repeats both, and quotes medians and the ratio of the medians.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parents[2]


def scratch_database_url(base_url: str) -> str:
    """The benchmark's own database beside the one DATABASE_URL names (`<name>_bench`)."""
    parts = urlsplit(base_url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise SystemExit("make bench measures PostgreSQL: set DATABASE_URL=postgres://…")
    name = parts.path.lstrip("/") or "pioneer"
    return urlunsplit(parts._replace(path=f"/{name}_bench"))


def _admin_conninfo(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def scratch_database_create(url: str) -> None:
    """Drop and create the scratch database: every run starts from nothing."""
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_admin_conninfo(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def scratch_database_drop(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_admin_conninfo(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def child_env(**overrides: str) -> dict[str, str]:
    """The environment of the processes under test: the bench's, without a broker (so `notify`
    delivers in its own pass), plus `overrides`."""
    env = {key: value for key, value in os.environ.items() if key != "CELERY_BROKER_URL"}
    env.update({"PIONEER_ENV": "development", "APP_LOG_LEVEL": "warning"})
    env.update(overrides)
    return env


@dataclass(frozen=True)
class ProcessRun:
    stdout: str
    wall_seconds: float
    peak_rss_bytes: int
    cpu_seconds: float  # user + system time of the process: what a busy machine does not inflate


def manage_run(args: list[str], env: dict[str, str]) -> ProcessRun:
    """Run `manage.py <args>` to the end, with its peak resident memory and its CPU time.

    Through /usr/bin/time: Linux carries a process's peak RSS across exec, so a child forked
    straight from this (large) process would report this process's memory as its own.
    """
    with tempfile.TemporaryFile(mode="w+") as out, tempfile.NamedTemporaryFile(mode="r") as peak:
        started = time.perf_counter()
        process = subprocess.run(
            ["/usr/bin/time", "-f", "%M %U %S", "-o", peak.name, sys.executable, str(ROOT / "manage.py")]
            + args,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
        )
        wall = time.perf_counter() - started
        out.seek(0)
        text = out.read()
        peak_kib, user, system = peak.read().strip().splitlines()[-1].split()
    if process.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed ({process.returncode}):\n{text[-3000:]}")
    return ProcessRun(
        stdout=text,
        wall_seconds=wall,
        peak_rss_bytes=int(peak_kib) * 1024,
        cpu_seconds=float(user) + float(system),
    )


def seconds_in(pattern: str, text: str) -> float:
    """The seconds a `notify` summary line reports (e.g. "Ingest done: … in 1.23s")."""
    match = re.search(pattern + r".* in (\d+(?:\.\d+)?)s", text)
    if match is None:
        raise SystemExit(f"no {pattern!r} line with a duration in:\n{text[-2000:]}")
    return float(match.group(1))


def median(values: list[float]) -> float:
    return statistics.median(values)


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


@dataclass
class Row:
    """One line of the results table."""

    measure: str
    unit: str
    value: float
    floor: float | None = None
    floor_name: str = ""
    target: str = ""
    detail: dict | None = None

    @property
    def ratio(self) -> float | None:
        return None if not self.floor else self.value / self.floor

    def as_dict(self) -> dict:
        return {
            "measure": self.measure,
            "unit": self.unit,
            "value": round(self.value, 4),
            "floor": None if self.floor is None else round(self.floor, 4),
            "floor_name": self.floor_name,
            "ratio": None if self.ratio is None else round(self.ratio, 2),
            "target": self.target,
            "detail": self.detail or {},
        }


# What Celery keeps in Redis for the default queue: the rows that use a broker empty them
# before and after, so no task of an earlier, interrupted run is left.
CELERY_QUEUE_KEYS = ("celery", "unacked", "unacked_index", "unacked_mutex")


def bench_broker_url() -> str | None:
    """BENCH_BROKER_URL, else CELERY_BROKER_URL with its database number replaced by 15, so that
    no worker of a running deployment takes the bench's tasks (and the bench none of theirs)."""
    if url := os.environ.get("BENCH_BROKER_URL"):
        return url
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        return None
    return url.rsplit("/", 1)[0] + "/15" if url.count("/") > 2 else url + "/15"
