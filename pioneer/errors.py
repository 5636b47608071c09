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
    # Set by the endpoint only: the request failed to parse or validate against the schema.
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    # Set by the endpoint only: anything unexpected, its detail kept in the server log.
    INTERNAL = "INTERNAL_SERVER_ERROR"


class DomainError(Exception):
    """A refusal on purpose: `message` is shown to the client word for word, `code` tells why."""

    def __init__(self, message: str, code: ErrorCode):
        super().__init__(message)
        self.message = message
        self.code = ErrorCode(code)

    def __repr__(self) -> str:
        return f"DomainError({self.message!r}, {self.code.name})"


def invalid_input(message: str) -> DomainError:
    """The client's arguments are unusable; the message says which and why."""
    return DomainError(message, ErrorCode.INVALID_INPUT)


def unauthorized() -> DomainError:
    return DomainError("Unauthorized", ErrorCode.UNAUTHORIZED)
