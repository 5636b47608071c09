import pytest

from members.tokens import TokenType, auth_token_issue, email_verification_token_issue, token_issue
from tests.conftest import GraphQLClient, error_messages
from tests.members.tokens_helpers import forged_token, old_backend_token, unsigned_token

ME = "query { me { id name email unverifiedEmail receiveEmails } }"


def expired_token(member_id: int) -> str:
    return token_issue(payload={"memberId": member_id, "type": int(TokenType.AUTH)}, ttl_seconds=-1)


def test_me_returns_the_member_of_the_token(member_api_client, member):
    assert member_api_client.execute(ME)["me"] == {
        "id": member.id,
        "name": "alice",
        "email": "alice@example.org",
        "unverifiedEmail": None,
        "receiveEmails": True,
    }


def test_a_token_of_the_typescript_backend_is_accepted(api_client, member):
    result = GraphQLClient(token=old_backend_token(member.id)).execute(ME)

    assert result["me"]["id"] == member.id


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer not-a-jwt",
        "Token {valid}",
        "Bearer {forged}",
        "Bearer {unsigned}",
        "Bearer {expired}",
        "Bearer {expired_old_backend}",
        "Bearer {email_type}",
        "Bearer {unknown_member}",
    ],
    ids=[
        "no-header",
        "empty",
        "bearer-only",
        "malformed",
        "wrong-scheme",
        "forged",
        "alg-none",
        "expired",
        "expired-old-backend",
        "email-verification-type",
        "unknown-member",
    ],
)
def test_me_without_a_valid_token_is_unauthorized(api_client, member, authorization):
    tokens = {
        "valid": auth_token_issue(member_id=member.id),
        "forged": forged_token(member.id),
        "unsigned": unsigned_token(member.id),
        "expired": expired_token(member.id),
        "expired_old_backend": old_backend_token(member.id, expires_in_seconds=-1),
        "email_type": email_verification_token_issue(member_id=member.id, email="alice@example.org"),
        "unknown_member": auth_token_issue(member_id=999),
    }
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization.format(**tokens)}

    result = api_client.post(ME, **headers)

    assert error_messages(result) == ["Unauthorized"]
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHORIZED"
    assert result["data"] == {"me": None}


def test_a_deleted_member_is_not_logged_in(member_api_client, member):
    member.delete()

    assert error_messages(member_api_client.post(ME)) == ["Unauthorized"]
