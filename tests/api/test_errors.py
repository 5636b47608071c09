"""How a failure reaches a client: a refusal on purpose keeps its message and code, anything
else becomes a generic error with its detail only in the server log.

Services, selectors, resolvers and the argument guard all raise pioneer.errors.DomainError;
the endpoint translates it in one place, so every refusal has the same shape on the wire.
"""

from __future__ import annotations

import logging

import pytest
from django.db import DatabaseError

from members import services as member_services
from pioneer.errors import DomainError, ErrorCode

STALE_MS = 1_000  # 1970: far older than any signature may be
SIGNUP = """
mutation ($name: String!, $email: String) {
  signup(memberId: 1, name: $name, email: $email, signature: "0x00", timestamp: 1000)
}
"""

# One operation per origin of a refusal: resolver guard, service, selector, argument middleware.
REFUSALS = [
    pytest.param(None, "query { me { id } }", {}, "me", "Unauthorized", "UNAUTHORIZED", id="auth-guard"),
    pytest.param(
        None,
        'mutation { verifyEmail(token: "not-a-token") { id } }',
        {},
        "verifyEmail",
        "Invalid verification token",
        "INVALID_TOKEN",
        id="members-service-token",
    ),
    pytest.param(
        None,
        f'mutation {{ signin(memberId: 1, signature: "0x00", timestamp: {STALE_MS}) }}',
        {},
        "signin",
        "Invalid signature",
        "INVALID_SIGNATURE",
        id="members-service-signature",
    ),
    pytest.param(
        None,
        SIGNUP,
        {"name": "Alice", "email": "not an address"},
        "signup",
        "Invalid email",
        "INVALID_EMAIL",
        id="members-service-email",
    ),
    pytest.param(
        None,
        SIGNUP,
        {"name": " "},
        "signup",
        "Invalid name: 1 to 255 characters",
        "BAD_USER_INPUT",
        id="members-service-name",
    ),
    pytest.param(
        "member",
        "query { notifications(limit: -1) { id } }",
        {},
        "notifications",
        "limit must not be negative",
        "BAD_USER_INPUT",
        id="notifications-selector",
    ),
    pytest.param(
        "member",
        "mutation { markNotificationsAsUnread }",
        {},
        "markNotificationsAsUnread",
        "Pass the ids to mark unread",
        "BAD_USER_INPUT",
        id="notifications-service",
    ),
    pytest.param(
        "member",
        'mutation { entitySubscription(kind: FORUM_THREAD_ENTITY_POST, entityId: " ", status: WATCH) '
        "{ id } }",
        {},
        "entitySubscription",
        "entityId must be a non-empty string",
        "BAD_USER_INPUT",
        id="subscriptions-service",
    ),
    pytest.param(
        "member",
        'query { notifications(eventId: "a\\u0000b") { id } }',
        {},
        "notifications",
        "Text arguments must not contain NUL characters",
        "BAD_USER_INPUT",
        id="argument-middleware",
    ),
]


@pytest.mark.parametrize(("who", "query", "variables", "field", "message", "code"), REFUSALS)
def test_a_refusal_reaches_the_client_as_its_message_and_code(
    api_client, member_api_client, who, query, variables, field, message, code
):
    client = member_api_client if who == "member" else api_client

    result = client.post(query, variables)

    [error] = result["errors"]
    assert error["message"] == message
    assert error["extensions"] == {"code": code}
    assert error["path"] == [field]
    assert error["locations"][0]["line"] >= 1
    assert result["data"] is None or result["data"] == {field: None}


def test_an_unexpected_failure_is_a_generic_error_and_its_detail_stays_in_the_log(
    api_client, monkeypatch, caplog
):
    def broken_service(**_kwargs):
        raise DatabaseError('relation "members_member" does not exist: SELECT password FROM secrets')

    monkeypatch.setattr(member_services, "member_verify_email", broken_service)

    with caplog.at_level(logging.ERROR, logger="pioneer.graphql"):
        response = api_client.client.post(
            "/graphql",
            data={"query": 'mutation { verifyEmail(token: "t") { id } }'},
            content_type="application/json",
        )

    body = response.content.decode()
    [error] = response.json()["errors"]
    assert error["message"] == "Internal server error"
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert error["path"] == ["verifyEmail"]
    assert "SELECT" not in body and "members_member" not in body and "Traceback" not in body
    assert "SELECT password FROM secrets" in caplog.text  # the operator still sees what happened


def test_a_domain_error_carries_one_of_the_known_codes():
    error = DomainError("Invalid email", "INVALID_EMAIL")

    assert error.code is ErrorCode.INVALID_EMAIL
    assert str(error) == "Invalid email"
    with pytest.raises(ValueError):
        DomainError("Something", "NOT_A_CODE")
