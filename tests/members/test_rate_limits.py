"""Issue 14, finding 2: signin/signup share one budget per client address, and verification
emails are limited per member and per target address (10 calls plus one 30-alias request sent
40 emails in half a second)."""

import pytest
from django.core import mail

from tests.api.test_rate_limits import assert_rate_limited
from tests.conftest import GraphQLClient
from tests.members.conftest import signed_variables

SIGNIN = "mutation ($memberId: Int!, $signature: String!, $timestamp: BigInt!) { signin(memberId: $memberId, signature: $signature, timestamp: $timestamp) }"  # noqa: E501
UPDATE_EMAIL = "mutation ($email: String) { updateMember(email: $email) { unverifiedEmail } }"


def test_signin_and_signup_share_one_budget_per_address(api_client, query_node, settings):
    settings.RATE_LIMIT_SIGNIN = "2/m"
    signup = 'mutation ($memberId: Int!, $signature: String!, $timestamp: BigInt!) { signup(memberId: $memberId, name: "x", signature: $signature, timestamp: $timestamp) }'  # noqa: E501

    first = api_client.post(SIGNIN, signed_variables(1))
    second = api_client.post(signup, signed_variables(2))
    third = api_client.post(SIGNIN, signed_variables(1))

    assert "errors" not in first and "errors" not in second
    assert_rate_limited(third["errors"][0])
    # Refused before the query node was asked.
    assert len(query_node.operations()) == 2


@pytest.mark.django_db(transaction=True)
def test_verification_emails_are_limited_per_member(member_api_client, settings, tasks_inline):
    settings.RATE_LIMIT_VERIFICATION_EMAILS_PER_MEMBER = "2/h"

    results = [member_api_client.post(UPDATE_EMAIL, {"email": f"new{i}@example.org"}) for i in range(3)]

    assert [len(mail.outbox), "errors" in results[0], "errors" in results[1]] == [2, False, False]
    assert_rate_limited(results[2]["errors"][0])
    # The refused change was not stored either.
    assert (
        member_api_client.execute("{ me { unverifiedEmail } }")["me"]["unverifiedEmail"] == "new1@example.org"
    )


@pytest.mark.django_db(transaction=True)
def test_verification_emails_are_limited_per_target_address(settings, tasks_inline):
    from members.tokens import auth_token_issue
    from tests.factories import MemberFactory

    settings.RATE_LIMIT_VERIFICATION_EMAILS_PER_ADDRESS = "3/d"
    clients = [GraphQLClient(token=auth_token_issue(member_id=MemberFactory().id)) for _ in range(4)]

    # Four members, one victim: the fourth email to the same inbox (any spelling) is refused.
    results = [client.post(UPDATE_EMAIL, {"email": "Victim@example.org"}) for client in clients[:3]]
    refused = clients[3].post(UPDATE_EMAIL, {"email": "victim@EXAMPLE.org"})

    assert all("errors" not in result for result in results)
    assert len(mail.outbox) == 3
    assert_rate_limited(refused["errors"][0])
