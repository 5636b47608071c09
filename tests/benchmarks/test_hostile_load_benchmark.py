"""A light request's latency while hostile requests keep 8 server threads busy (issue 14).

Starts the API as deployed (gunicorn, pioneer/gunicorn.conf.py: 2 processes x 4 threads) on
a fresh SQLite database, measures `memberExist` alone, then again while 8 clients each keep
one hostile request in flight: the 1.8 MB body of the original attack, a document over the
token limit, a field repeated ~1,000 times under it, JSON nested 40,000 deep, and 30 aliased
`signin`s against a query node that accepts connections and never answers.
Prints p50/p99 and the server's CPU time per request (which the machine's other load changes
little, unlike the latencies); asserts only that every answer was right (the light ones answered, the
hostile ones refused). Run with `make bench`; the numbers are in docs/benchmarks.md.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.e2e.processes import ProcessSet
from tests.e2e.services import free_port
from tests.polling import wait_until
from tests.silent_server import SilentServer

pytestmark = pytest.mark.benchmark

ROOT = Path(__file__).resolve().parents[2]
HOSTILE_CLIENTS = 8
LIGHT_REQUESTS = 300
MEMBER_EXIST = {"query": "{ memberExist(id: 1) }"}


def hostile_bodies() -> dict[str, bytes]:
    now = int(time.time() * 1000)
    signins = " ".join(f'a{i}: signin(memberId: 1, signature: "0x00", timestamp: "{now}")' for i in range(30))
    documents = {
        "1.8 MB attack": {"query": "{" + "memberExist(id:1) " * 100_000 + "}"},
        "repeated field": {"query": "{" + " memberExist" * 990 + "}"},  # under the token limit
        "over token limit": {"query": "{" + " __typename" * 5000 + "}"},
        "30 aliased signins": {"query": "mutation {" + signins + "}"},  # each asks the (hung) query node
    }
    bodies = {name: json.dumps(document).encode() for name, document in documents.items()}
    bodies["JSON 40,000 deep"] = (
        b'{"query": "{ memberExist(id: 1) }", "variables": {"a": ' + b"[" * 40_000 + b"]" * 40_000 + b"}}"
    )
    return bodies


def server_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) the gunicorn workers have used so far: what the machine's other
    load does not change, unlike the latencies."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    total_ticks = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        total_ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total_ticks / os.sysconf("SC_CLK_TCK")


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def light_latencies(url: str) -> list[float]:
    session = requests.Session()
    latencies = []
    for _ in range(LIGHT_REQUESTS):
        started = time.perf_counter()
        response = session.post(url, json=MEMBER_EXIST, timeout=30)
        latencies.append(time.perf_counter() - started)
        assert response.json() == {"data": {"memberExist": False}}
    return latencies


@pytest.fixture
def hung_node():
    with SilentServer() as server:
        yield server


@pytest.fixture
def api(tmp_path, hung_node):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CELERY_BROKER_URL"))},
        "DJANGO_SETTINGS_MODULE": "pioneer.settings",
        "PIONEER_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        "PORT": str(port),
        "GUNICORN_BIND_HOST": "127.0.0.1",
        "APP_LOG_LEVEL": "warning",
        # The light client's 300 requests fit the default limit; the hostile signins would not.
        "RATE_LIMIT_SIGNIN": "",
        # The worst case of finding 3: a query node that accepts connections and never answers.
        "QUERY_NODE_ENDPOINT": f"http://127.0.0.1:{hung_node.port}/graphql",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    processes = ProcessSet(tmp_path, env)
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", "pioneer/gunicorn.conf.py", "pioneer.wsgi"]
    server = processes.start("api", [*gunicorn, "--access-logfile", "/dev/null"])
    url = f"http://127.0.0.1:{port}/graphql"
    wait_until(
        lambda: requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).ok, timeout=60, what="API up"
    )
    yield url, server.pid
    processes.stop_all()
    assert not server.running()


def attack(url: str, stop, results, sending) -> None:
    """One process, HOSTILE_CLIENTS threads, each keeping one hostile request in flight: apart
    from the measuring client, so that its own threads do not slow the measurement down."""
    bodies = list(hostile_bodies().items())
    durations: dict[str, list[float]] = {name: [] for name, _ in bodies}
    unexpected: list[str] = []

    def client(offset: int) -> None:
        session = requests.Session()
        i = offset
        with sending.get_lock():  # this client's first request goes out next
            sending.value += 1
        while not stop.is_set():
            name, body = bodies[i % len(bodies)]
            i += 1
            started = time.perf_counter()
            try:
                response = session.post(
                    url, data=body, headers={"Content-Type": "application/json"}, timeout=60
                )
                if response.status_code not in (400, 413) and "errors" not in response.json():
                    unexpected.append(response.text[:200])
            except requests.ConnectionError:  # the server answered 413 before the 1.8 MB were sent
                session = requests.Session()
            durations[name].append(time.perf_counter() - started)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(HOSTILE_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((durations, unexpected))


def test_member_exist_stays_fast_with_8_hostile_requests_in_flight(api):
    api, server_pid = api
    quiet = light_latencies(api)
    context = multiprocessing.get_context("spawn")
    stop, results, sending = context.Event(), context.Queue(), context.Value("i", 0)
    attacker = context.Process(target=attack, args=(api, stop, results, sending))
    attacker.start()
    wait_until(lambda: sending.value == HOSTILE_CLIENTS, timeout=60, what="every hostile client sending")
    cpu_before, started = server_cpu_seconds(server_pid), time.monotonic()
    try:
        loaded = light_latencies(api)
    finally:
        stop.set()
        durations, unexpected = results.get(timeout=120)
        attacker.join(timeout=30)
    cpu, elapsed = server_cpu_seconds(server_pid) - cpu_before, time.monotonic() - started

    def ms(value: float) -> str:
        return f"{value * 1000:.0f} ms"

    print(
        f"\nmemberExist alone: p50 {ms(statistics.median(quiet))}, p99 {ms(percentile(quiet, 0.99))}"
        f"\nwith {HOSTILE_CLIENTS} hostile requests in flight: p50 {ms(statistics.median(loaded))}, "
        f"p99 {ms(percentile(loaded, 0.99))}, max {ms(max(loaded))}"
    )
    hostile = sum(len(samples) for samples in durations.values())
    print(
        f"server CPU while loaded: {cpu:.1f} s in {elapsed:.1f} s, "
        f"{ms(cpu / (hostile + LIGHT_REQUESTS))} a request ({hostile} hostile, {LIGHT_REQUESTS} light)"
    )
    for name, samples in durations.items():
        line = f"{len(samples)} refused, median {ms(statistics.median(samples))}, max {ms(max(samples))}"
        print(f"  {name}: {line}")
    assert unexpected == []
    assert all(durations.values())
