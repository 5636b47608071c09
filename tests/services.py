"""Access to the real PostgreSQL and Redis the tests use.

A test that needs a service it cannot reach is skipped, unless
PIONEER_REQUIRE_SERVICES=1 (CI), which turns the skip into a failure.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection

REQUIRE_SERVICES = os.environ.get("PIONEER_REQUIRE_SERVICES", "") in {"1", "true", "yes"}


def service_unavailable(message: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{message} (PIONEER_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(message)


def require_postgres() -> None:
    if connection.vendor != "postgresql":
        service_unavailable("needs PostgreSQL: set DATABASE_URL=postgres://...")


def redis_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        service_unavailable("needs Redis: set CELERY_BROKER_URL=redis://...")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        service_unavailable(f"Redis at {url} does not answer: {exc}")
    return url
