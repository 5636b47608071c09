"""`make run` / `make demo`: the whole service in one terminal.

    python -m pioneer.runner          # API + Celery worker + Celery beat
    python -m pioneer.runner --demo   # the same against a scripted fake query node

Migrates, seeds INITIAL_MEMBERSHIPS (printing their tokens), then supervises gunicorn, a
Celery worker and Celery beat as child processes, each line of their output prefixed with
its name. With no CELERY_BROKER_URL the children share an embedded broker (kombu's
filesystem transport under var/broker) that needs no server; with no email provider
configured, emails are written to var/mail/. Anything set in the environment (DATABASE_URL,
CELERY_BROKER_URL, an ESP, EMAIL_URL) is used as is.

The demo keeps all of its state under var/demo/ (database, broker, emails) and wipes it at each
start; `make run`'s var/ is never touched.

One Ctrl-C (SIGINT) or SIGTERM stops every child and waits for it; a child that dies stops
the others and the runner exits non-zero naming it.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
EMBEDDED_BROKER_URL = "filesystem://localhost//"
# Any of these means the operator chose how email leaves; the runner then keeps out of it.
EMAIL_CHOICE_VARIABLES = ("SENDGRID_API_KEY", "MAILGUN_API_KEY", "EMAIL_PROVIDER", "EMAIL_URL")
STOP_TIMEOUT_SECONDS = 25
JWT_PATTERN = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+")

DEMO_DIR = VAR_DIR / "demo"
# Relative to the project, as settings read a filemail:// path: var/demo/mail.
DEMO_MAIL_URL = f"filemail://{(DEMO_DIR / 'mail').relative_to(BASE_DIR)}"
DEMO_MEMBERS = [
    {"id": 1, "name": "alice", "email": "alice@example.org"},
    {"id": 2, "name": "bob", "email": "bob@example.org"},
]


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    pump: threading.Thread | None = field(default=None, repr=False)


def say(message: str) -> None:
    print(f"runner | {message}", flush=True)


try:
    _prctl = ctypes.CDLL("libc.so.6", use_errno=True).prctl
except (OSError, AttributeError):  # not Linux/glibc
    _prctl = None


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM if the runner itself is killed, so even a
    `kill -9` of the runner leaves no orphan. Only a libc call: safe between fork and exec."""
    if _prctl is not None:
        _prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def service_environment(base: dict[str, str], *, demo: bool) -> dict[str, str]:
    """The environment every child gets: the caller's, plus embedded defaults for what is unset."""
    env = dict(base)
    env.setdefault("PYTHONUNBUFFERED", "1")
    # A development server (DEBUG on, any host) listens on this machine only, unless asked.
    env.setdefault("GUNICORN_BIND_HOST", "127.0.0.1")
    if demo:
        # A fresh database each time: the fake query node replays the same blocks, which an old
        # cursor would skip. The demo never touches the database of `make run`.
        env["DATABASE_URL"] = f"sqlite:///{DEMO_DIR / 'pioneer.sqlite3'}"
        env["CELERY_BROKER_URL"] = EMBEDDED_BROKER_URL
        env["CELERY_BROKER_DIR"] = str(DEMO_DIR / "broker")
        env.setdefault("INITIAL_MEMBERSHIPS", json.dumps(DEMO_MEMBERS))
        env.setdefault("NOTIFY_INTERVAL_SECONDS", "10")
        env.setdefault("EMAIL_SWEEP_INTERVAL_SECONDS", "30")
    if not env.get("CELERY_BROKER_URL"):
        env["CELERY_BROKER_URL"] = EMBEDDED_BROKER_URL
    if not any(env.get(name) for name in EMAIL_CHOICE_VARIABLES):
        # Settings turn an empty path into var/mail; the demo's mail stays with its database,
        # so that both are wiped together at its next start.
        env["EMAIL_URL"] = DEMO_MAIL_URL if demo else "filemail://"
    return env


def demo_reset(directory: Path = DEMO_DIR) -> None:
    """Start the demo from nothing: its database, broker files and emails all live here."""
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)


def mail_dir_shown(env: dict[str, str]) -> str | None:
    """Where a filemail:// EMAIL_URL writes, as the banner names it; None for other backends."""
    url = env.get("EMAIL_URL", "")
    if not url.startswith("filemail://"):
        return None
    return url.removeprefix("filemail://") or "var/mail"


def manage(env: dict[str, str], *args: str) -> str:
    """Run a management command to completion; echo its output; stop the runner if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for line in result.stdout.splitlines():
        print(f"{args[0]:<6} | {line}", flush=True)
    if result.returncode != 0:
        say(f"`manage.py {' '.join(args)}` failed with exit code {result.returncode}; nothing was started")
        sys.exit(result.returncode or 1)
    return result.stdout


def children_for(env: dict[str, str], *, demo_port: int | None) -> list[Child]:
    bin_dir = Path(sys.executable).parent
    log_level = env.get("APP_LOG_LEVEL", "info").lower()
    # Mingle, gossip and heartbeats are worker-to-worker chatter this service never uses;
    # the filesystem broker cannot carry them at all.
    quiet_worker = ["--without-mingle", "--without-gossip", "--without-heartbeat"]
    children = []
    if demo_port is not None:
        children.append(
            Child(
                "qnode",
                [sys.executable, "-m", "qn_ingest.fake_node", "--port", str(demo_port), "--scenario", "demo"],
            )
        )
    children += [
        Child("api", [str(bin_dir / "gunicorn"), "-c", "pioneer/gunicorn.conf.py", "pioneer.wsgi"]),
        Child(
            "worker",
            # Threads: delivery waits on the network, so a few threads in one process keep up
            # with little memory on a small machine; the ingest never runs twice (database lock).
            [str(bin_dir / "celery"), "-A", "pioneer", "worker", "--pool", "threads", "--concurrency", "4"]
            + quiet_worker
            + ["--loglevel", log_level],
        ),
        Child(
            "beat",
            [str(bin_dir / "celery"), "-A", "pioneer", "beat", "--loglevel", log_level]
            + ["--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"],
        ),
    ]
    return children


def _pump(child: Child) -> None:
    """Copy a child's output to ours, one prefixed line at a time."""
    assert child.process is not None and child.process.stdout is not None
    for line in child.process.stdout:
        sys.stdout.write(f"{child.name:<6} | {line}")
        sys.stdout.flush()


def start(child: Child, env: dict[str, str]) -> None:
    child.process = subprocess.Popen(
        child.argv,
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        # Own process group: the terminal's Ctrl-C reaches only the runner, which then stops
        # each child once and in order instead of every process reacting on its own.
        start_new_session=True,
        preexec_fn=_die_with_parent,
    )
    child.pump = threading.Thread(target=_pump, args=(child,), daemon=True)
    child.pump.start()


def stop_all(children: list[Child]) -> None:
    """SIGTERM every running child (API first), wait, then SIGKILL what is still there."""
    running = [c for c in children if c.process and c.process.poll() is None]
    for child in running:
        try:
            os.killpg(child.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for child in running:
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{child.name} did not stop within {STOP_TIMEOUT_SECONDS}s; killing it")
        # The whole group: gunicorn's and celery's own children included.
        try:
            os.killpg(child.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        child.process.wait()
    for child in children:
        if child.pump:
            child.pump.join(timeout=2)


class StopRequested(Exception):
    pass


def _on_signal(signum, frame):
    raise StopRequested(signal.Signals(signum).name)


def banner(env: dict[str, str], *, seed_output: str, demo: bool) -> None:
    port = env.get("PORT", "3000")
    api = f"http://localhost:{port}"
    say(f"API (GraphQL, GraphiQL in a browser): {api}/graphql   admin: {api}/admin/")
    say(f"query node: {env.get('QUERY_NODE_ENDPOINT', 'https://query.joystream.org/graphql')}")
    broker = env["CELERY_BROKER_URL"]
    if broker.startswith("filesystem://"):
        say(f"broker: embedded, files under {env.get('CELERY_BROKER_DIR', 'var/broker')}")
    else:
        say(f"broker: {broker.split('@')[-1]}")  # never print a password
    mail_dir = mail_dir_shown(env)
    if mail_dir:
        say(f"emails are written to {mail_dir}/")
    token = next(iter(JWT_PATTERN.findall(seed_output)), None)
    if token:
        say("list a member's notifications:")
        say(
            f"  curl -s {api}/graphql -H 'Authorization: Bearer {token}' -H 'Content-Type: application/json' "
            """-d '{"query":"{ notifications { id kind entityId emailStatus } }"}'"""
        )
    if demo:
        say(
            "demo: the fake query node publishes activity every few seconds; the ingest runs every "
            f"{env['NOTIFY_INTERVAL_SECONDS']}s." + (f" Watch: ls {mail_dir}/" if mail_dir else "")
        )
    say("Ctrl-C stops everything")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pioneer.runner", description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo", action="store_true", help="a scripted fake query node and two demo members")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    os.chdir(BASE_DIR)
    # Like settings.py: .env fills in what the environment does not set, so that a broker or an
    # email provider chosen there is seen here before the embedded defaults are picked.
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
    demo_port = None
    env = service_environment(dict(os.environ), demo=args.demo)
    if args.demo:
        demo_reset()
        demo_port = free_port()
        env["QUERY_NODE_ENDPOINT"] = f"http://127.0.0.1:{demo_port}/graphql"

    children: list[Child] = []
    try:
        manage(env, "migrate", "--noinput")
        seed_output = manage(env, "seedmembers")
        children = children_for(env, demo_port=demo_port)
        for child in children:
            start(child, env)
        banner(env, seed_output=seed_output, demo=args.demo)
        while True:
            for child in children:
                code = child.process.poll()
                if code is not None:
                    say(f"{child.name} exited with code {code}; stopping the others")
                    return 1
            time.sleep(0.2)
    except StopRequested as stop:
        say(f"{stop} received; stopping {', '.join(c.name for c in children) or 'nothing'}")
        return 0
    finally:
        # A second Ctrl-C while stopping must not leave half the children running.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop_all(children)
        if children:
            say("all stopped")


if __name__ == "__main__":
    sys.exit(main())
