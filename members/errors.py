"""The refusals of member services, each with the wire message the Pioneer UI knows."""

from __future__ import annotations

from pioneer.errors import DomainError, ErrorCode


def invalid_signature() -> DomainError:
    return DomainError("Invalid signature", ErrorCode.INVALID_SIGNATURE)


def invalid_email() -> DomainError:
    return DomainError("Invalid email", ErrorCode.INVALID_EMAIL)


def member_already_exists() -> DomainError:
    return DomainError("Member already exists", ErrorCode.MEMBER_EXISTS)


def invalid_verification_token() -> DomainError:
    return DomainError("Invalid verification token", ErrorCode.INVALID_TOKEN)


def invalid_name() -> DomainError:
    return DomainError("Invalid name: 1 to 255 characters", ErrorCode.INVALID_INPUT)


def query_node_unavailable() -> DomainError:
    return DomainError(
        "Query node unavailable: the membership could not be looked up, try again later",
        ErrorCode.QUERY_NODE_UNAVAILABLE,
    )
