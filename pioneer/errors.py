"""The one error type of the domain: a refusal a client may see as it is.

Services, selectors and the GraphQL resolvers raise DomainError with a stable message and a
machine-readable code; the GraphQL endpoint (pioneer/graphql_view.py) turns it into a
top-level error with `extensions.code`. This module imports nothing of the API layer, so
the domain can raise it without depending on GraphQL.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """The values of `extensions.code` the Pioneer UI and other clients can branch on."""

    UNAUTHORIZED = "UNAUTHORIZED"
    INVALID_SIGNATURE = "INVALID_SIGNATURE"
    INVALID_EMAIL = "INVALID_EMAIL"
    MEMBER_EXISTS = "MEMBER_EXISTS"
    INVALID_TOKEN = "INVALID_TOKEN"
    INVALID_INPUT = "BAD_USER_INPUT"
    QUERY_NODE_UNAVAILABLE = "QUERY_NODE_UNAVAILABLE"
    # Too many requests of one kind from one client, member or address: `extensions.retryAfter`
    # says how many seconds to wait.
    RATE_LIMITED = "RATE_LIMITED"
    # The request used up its time budget (GRAPHQL_REQUEST_TIME_BUDGET_SECONDS) before it was done.
    REQUEST_TIMEOUT = "REQUEST_TIMEOUT"
    # Set by the endpoint only: the request failed to parse or validate against the schema.
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    # Set by the endpoint only: anything unexpected, its detail kept in the server log.
    INTERNAL = "INTERNAL_SERVER_ERROR"


class DomainError(Exception):
    """A refusal on purpose: `message` is shown to the client word for word, `code` tells why,
    `extensions` (optional) adds machine-readable detail beside the code."""

    def __init__(self, message: str, code: ErrorCode, *, extensions: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = ErrorCode(code)
        self.extensions = dict(extensions or {})

    def __repr__(self) -> str:
        return f"DomainError({self.message!r}, {self.code.name})"


def invalid_input(message: str) -> DomainError:
    """The client's arguments are unusable; the message says which and why."""
    return DomainError(message, ErrorCode.INVALID_INPUT)


def unauthorized() -> DomainError:
    return DomainError("Unauthorized", ErrorCode.UNAUTHORIZED)


def rate_limited(retry_after_seconds: int) -> DomainError:
    """Refuse until the limit's window ends: `extensions.retryAfter` is the wait in seconds."""
    wait = max(1, int(retry_after_seconds))
    return DomainError(
        f"Too many requests: try again in {wait} seconds",
        ErrorCode.RATE_LIMITED,
        extensions={"retryAfter": wait},
    )
