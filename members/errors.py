"""The failures of member services, each with the wire message the Pioneer UI knows."""

from __future__ import annotations

from pioneer.graphql import ErrorCode


class MemberServiceError(Exception):
    """A refusal a client should see as it is: stable message plus machine-readable code."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def invalid_signature() -> MemberServiceError:
    return MemberServiceError("Invalid signature", ErrorCode.INVALID_SIGNATURE)


def invalid_email() -> MemberServiceError:
    return MemberServiceError("Invalid email", ErrorCode.INVALID_EMAIL)


def member_already_exists() -> MemberServiceError:
    return MemberServiceError("Member already exists", ErrorCode.MEMBER_EXISTS)


def invalid_verification_token() -> MemberServiceError:
    return MemberServiceError("Invalid verification token", ErrorCode.INVALID_TOKEN)


def invalid_name() -> MemberServiceError:
    return MemberServiceError("Invalid name: 1 to 255 characters", ErrorCode.INVALID_INPUT)


def query_node_unavailable() -> MemberServiceError:
    return MemberServiceError(
        "Query node unavailable: the membership could not be looked up, try again later",
        ErrorCode.QUERY_NODE_UNAVAILABLE,
    )
