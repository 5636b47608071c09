"""Dedicated PostgreSQL database and Redis db for one end-to-end run, and what talks to the
running system from outside: GraphQL over HTTP, the mail sink's files, the query node's stdin."""

from __future__ import annotations

import email
import json
import os
import re
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import psycopg
import redis
import requests

from tests.services import service_unavailable

# Redis dbs an end-to-end run may take (the suite's own tests use their configured db).
E2E_REDIS_DBS = range(7, 15)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def dedicated_postgres_database() -> Iterator[str]:
    """A fresh database e2e_<random> on the server of DATABASE_URL; dropped afterwards."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        service_unavailable("end-to-end tests need PostgreSQL: set DATABASE_URL=postgres://...")
    server, _, _ = base.rpartition("/")
    name = f"e2e_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        service_unavailable(f"PostgreSQL at {server} does not answer: {exc}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{server}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def dedicated_redis_db() -> Iterator[str]:
    """An empty Redis db on the server of CELERY_BROKER_URL; flushed afterwards."""
    base = os.environ.get("CELERY_BROKER_URL", "")
    if not base.startswith("redis://"):
        service_unavailable("end-to-end tests need Redis: set CELERY_BROKER_URL=redis://...")
    server = re.sub(r"/\d*$", "", base.rstrip("/"))
    try:
        for number in E2E_REDIS_DBS:
            url = f"{server}/{number}"
            client = redis.Redis.from_url(url, socket_connect_timeout=2)
            # Claim the db atomically so two runs on one server never share it.
            if client.dbsize() == 0 and client.set("pioneer-e2e-claim", "1", nx=True):
                break
        else:
            service_unavailable(f"no empty Redis db in {E2E_REDIS_DBS} on {server}")
    except redis.RedisError as exc:
        service_unavailable(f"Redis at {server} does not answer: {exc}")
    try:
        yield url
    finally:
        client.flushdb()


class GraphQL:
    """The API as the Pioneer UI uses it: JSON over HTTP with an optional bearer token."""

    def __init__(self, url: str):
        self.url = url

    def __call__(self, query: str, variables: dict | None = None, token: str | None = None) -> dict:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = requests.post(
            self.url, json={"query": query, "variables": variables or {}}, headers=headers, timeout=30
        )
        body = response.json()
        assert not body.get("errors"), f"GraphQL errors: {body['errors']}"
        return body["data"]


@dataclass(frozen=True)
class ReceivedEmail:
    path: Path
    to: str
    subject: str
    text: str
    html: str


def read_email(path: Path) -> ReceivedEmail:
    message: EmailMessage = email.message_from_bytes(path.read_bytes(), policy=default_policy)
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    return ReceivedEmail(
        path=path,
        to=str(message["To"]),
        subject=str(message["Subject"]),
        text=text_part.get_content() if text_part else "",
        html=html_part.get_content() if html_part else "",
    )


def emails_to(directory: Path, address: str, *, pattern: str = "*.eml") -> list[ReceivedEmail]:
    return [mail for mail in map(read_email, sorted(directory.glob(pattern))) if address in mail.to]


class QueryNodeControl:
    """Adds data to the query-node process (tests/e2e/query_node.py) through its stdin."""

    def __init__(self, stdin, url: str):
        self.stdin = stdin
        self.url = url

    def __getattr__(self, method: str):
        def call(**kwargs):
            self.stdin.write((json.dumps({"method": method, "kwargs": kwargs}) + "\n").encode())
            self.stdin.flush()

        return call

    def event_count(self) -> int:
        return requests.get(self.url, timeout=5).json()["events"]


def processes_with_marker(marker: str) -> list[tuple[int, str]]:
    """(pid, command line) of live processes whose environment contains `marker` (e.g. the
    run's database name): proof that nothing was left behind."""
    found = []
    own = str(os.getpid())
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or entry.name == own:
            continue
        try:
            if marker.encode() not in (entry / "environ").read_bytes():
                continue
            if (entry / "stat").read_text().split(") ")[-1].startswith("Z"):
                continue  # a zombie is already dead; its parent just has not reaped it yet
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            found.append((int(entry.name), command))
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return found
