"""HTTP client of the Joystream query node: the only place that talks to it.

Transient failures (connection errors, timeouts, HTTP 5xx and 429) are retried a
bounded number of times with exponential backoff and jitter; what is still failing
then raises QueryNodeUnavailable. A body that is not a GraphQL answer, or an answer
with GraphQL errors, raises QueryNodeResponseError at once (retrying would not help).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.conf import settings
from gql import Client, GraphQLRequest
from gql.transport.exceptions import (
    TransportConnectionFailed,
    TransportProtocolError,
    TransportQueryError,
    TransportServerError,
)
from gql.transport.requests import RequestsHTTPTransport
from graphql import DocumentNode, parse

from qn_ingest import queries

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 30.0
# Sign-in waits on the query node while a person (and a gunicorn worker) waits: fail fast,
# all attempts within QUERY_NODE_SIGNIN_DEADLINE_SECONDS.
INTERACTIVE_MAX_ATTEMPTS = 2
MIN_ATTEMPT_SECONDS = 0.1
INTERACTIVE_BACKOFF_SECONDS = 0.2
MAX_MESSAGE_LENGTH = 300


class QueryNodeError(Exception):
    """The query node could not be read."""


class QueryNodeUnavailable(QueryNodeError):
    """Still failing transiently (down, timing out, 5xx, rate-limited) after the retries."""


class QueryNodeResponseError(QueryNodeError):
    """The query node answered something unusable: not GraphQL, GraphQL errors, or an unexpected shape."""


def _one_line(text: object) -> str:
    """Messages end up on one line of `notify` output and in logs: no newlines, bounded."""
    line = " ".join(str(text).split())
    return line if len(line) <= MAX_MESSAGE_LENGTH else line[: MAX_MESSAGE_LENGTH - 1] + "…"


@lru_cache(maxsize=32)
def _parsed(document: str) -> DocumentNode:
    return parse(document)


def _is_transient(exc: Exception) -> bool:
    if isinstance(exc, TransportConnectionFailed):  # connection refused/reset and timeouts
        return True
    if isinstance(exc, TransportServerError):
        code = exc.code or 0
        return code == 429 or code >= 500
    return False


class QueryNodeClient:
    """A gql client over HTTP with bounded retries. Cheap to create; one per ingest run."""

    def __init__(
        self,
        *,
        endpoint: str | None = None,
        timeout_seconds: float | None = None,
        max_attempts: int | None = None,
        backoff_seconds: float | None = None,
        deadline_seconds: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.endpoint = endpoint or settings.QUERY_NODE_ENDPOINT
        self.timeout_seconds = timeout_seconds or settings.QUERY_NODE_TIMEOUT_SECONDS
        self.max_attempts = max(1, max_attempts or settings.QUERY_NODE_MAX_ATTEMPTS)
        self.backoff_seconds = (
            backoff_seconds if backoff_seconds is not None else settings.QUERY_NODE_BACKOFF_SECONDS
        )
        # All attempts of one execute() together, waits included, end within this (None: no bound).
        self.deadline_seconds = deadline_seconds
        self._sleep = sleep
        # retries=0: the retry policy lives here, with jitter, for every transient error kind.
        self._transport = RequestsHTTPTransport(url=self.endpoint, timeout=self.timeout_seconds, retries=0)
        self._client = Client(transport=self._transport, fetch_schema_from_transport=False)

    def _delay(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random, so retries of
        several workers spread out but never hammer the node immediately."""
        ceiling = min(MAX_BACKOFF_SECONDS, self.backoff_seconds * (2 ** (attempt - 1)))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def execute(self, document: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one query and return its `data`; raises a QueryNodeError subclass on failure."""
        request = GraphQLRequest(_parsed(document), variable_values=variables or {})
        deadline = None if self.deadline_seconds is None else time.monotonic() + self.deadline_seconds
        for attempt in range(1, self.max_attempts + 1):
            if deadline is not None:
                # An attempt may only wait for what is left of the deadline.
                remaining = max(deadline - time.monotonic(), MIN_ATTEMPT_SECONDS)
                self._transport.default_timeout = min(self.timeout_seconds, remaining)
            try:
                data = self._client.execute(request)
            except TransportQueryError as exc:
                raise QueryNodeResponseError(
                    _one_line(f"the query node returned GraphQL errors: {exc.errors or exc}")
                ) from exc
            except TransportProtocolError as exc:
                raise QueryNodeResponseError(
                    _one_line(f"the query node sent a malformed answer: {exc}")
                ) from exc
            except (TransportConnectionFailed, TransportServerError) as exc:
                if not _is_transient(exc):
                    raise QueryNodeResponseError(
                        _one_line(f"the query node refused the query: {exc}")
                    ) from exc
                delay = self._delay(attempt)
                out_of_time = deadline is not None and time.monotonic() + delay >= deadline
                if attempt == self.max_attempts or out_of_time:
                    raise QueryNodeUnavailable(
                        _one_line(
                            f"the query node at {self.endpoint} could not be read after "
                            f"{attempt} attempts: {exc}"
                        )
                    ) from exc
                logger.warning(
                    "Query node attempt %d/%d failed (%s); retrying in %.2fs",
                    attempt,
                    self.max_attempts,
                    _one_line(exc),
                    delay,
                )
                self._sleep(delay)
                continue
            if not isinstance(data, dict):
                raise QueryNodeResponseError("the query node answered without data")
            return data
        raise AssertionError("unreachable")  # the loop returns or raises


class _SignInBreaker:
    """A hung node must not hold one server thread per sign-in attempt (or per alias): at most
    QUERY_NODE_SIGNIN_MAX_CONCURRENT lookups of this process wait on it at once, the others fail
    at once; after a lookup found it unavailable, all fail at once for
    QUERY_NODE_SIGNIN_COOLDOWN_SECONDS, then one lookup probes it while the others still fail."""

    def __init__(self):
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._probing = False
        self._in_flight = 0

    def allow(self) -> bool:
        """True when this lookup may go ahead; it must then be `record`ed, whatever its outcome."""
        with self._lock:
            if self._open_until != 0.0:  # open: the node failed last time
                if time.monotonic() < self._open_until or self._probing:
                    return False
                self._probing = True
            elif self._in_flight >= settings.QUERY_NODE_SIGNIN_MAX_CONCURRENT:
                return False
            self._in_flight += 1
            return True

    def record(self, *, available: bool) -> None:
        with self._lock:
            self._in_flight -= 1
            self._probing = False
            cooldown = settings.QUERY_NODE_SIGNIN_COOLDOWN_SECONDS
            self._open_until = 0.0 if available or cooldown <= 0 else time.monotonic() + cooldown

    def reset(self) -> None:
        """Closed, nothing in flight (for tests: one test's failures must not reach the next)."""
        with self._lock:
            self._open_until, self._probing, self._in_flight = 0.0, False, 0


sign_in_breaker = _SignInBreaker()


def membership_controller_account(member_id: int) -> str | None:
    """The controller account of membership `member_id`, or None when there is no such membership."""
    if not sign_in_breaker.allow():
        raise QueryNodeUnavailable("the query node failed a moment ago or is busy; not asked now")
    available = True
    try:
        return _membership_controller_account(member_id)
    except QueryNodeUnavailable:
        available = False
        raise
    finally:
        sign_in_breaker.record(available=available)


def _membership_controller_account(member_id: int) -> str | None:
    deadline = settings.QUERY_NODE_SIGNIN_DEADLINE_SECONDS
    client = QueryNodeClient(
        timeout_seconds=min(settings.QUERY_NODE_TIMEOUT_SECONDS, deadline),
        max_attempts=INTERACTIVE_MAX_ATTEMPTS,
        backoff_seconds=INTERACTIVE_BACKOFF_SECONDS,
        deadline_seconds=deadline,
    )
    data = client.execute(queries.MEMBERSHIP_CONTROLLER_ACCOUNT, {"id": str(member_id)})
    membership = data.get("membershipByUniqueInput")
    if membership is None:
        return None
    account = membership.get("controllerAccount") if isinstance(membership, dict) else None
    if not isinstance(account, str):
        raise QueryNodeResponseError("the query node returned a membership without a controller account")
    return account
