import pytest

from members.tokens import (
    TokenError,
    TokenType,
    auth_token_issue,
    auth_token_member_id,
    email_verification_token_issue,
    email_verification_token_read,
    token_decode,
    token_issue,
)
from tests.members.tokens_helpers import forged_token, old_backend_token, unsigned_token


def test_an_auth_token_carries_the_member_id_and_lasts_90_days():
    payload = token_decode(token=auth_token_issue(member_id=5), token_type=TokenType.AUTH)

    assert payload["memberId"] == 5
    assert payload["exp"] - payload["iat"] == 90 * 86400


def test_an_email_verification_token_is_bound_to_member_and_email(settings):
    settings.EMAIL_VERIFICATION_TTL_DAYS = 3
    token = email_verification_token_issue(member_id=5, email="a@example.org")

    assert email_verification_token_read(token=token) == (5, "a@example.org")
    payload = token_decode(token=token, token_type=TokenType.EMAIL_VERIFICATION)
    assert payload["exp"] - payload["iat"] == 3 * 86400


def test_the_two_token_types_never_stand_in_for_each_other():
    email_token = email_verification_token_issue(member_id=5, email="a@example.org")
    auth_token = auth_token_issue(member_id=5)

    assert auth_token_member_id(token=email_token) is None
    with pytest.raises(TokenError):
        email_verification_token_read(token=auth_token)


def test_an_expired_email_verification_token_is_rejected():
    token = token_issue(
        payload={"memberId": 5, "type": int(TokenType.EMAIL_VERIFICATION), "email": "a@example.org"},
        ttl_seconds=-1,
    )
    with pytest.raises(TokenError, match="expired"):
        email_verification_token_read(token=token)


def test_an_email_verification_token_without_email_is_rejected():
    token = token_issue(payload={"memberId": 5, "type": int(TokenType.EMAIL_VERIFICATION)}, ttl_seconds=60)
    with pytest.raises(TokenError):
        email_verification_token_read(token=token)


def test_a_token_of_the_typescript_backend_is_accepted():
    assert auth_token_member_id(token=old_backend_token(12)) == 12


def test_an_expired_token_of_the_typescript_backend_is_rejected():
    assert auth_token_member_id(token=old_backend_token(12, expires_in_seconds=-5)) is None


@pytest.mark.parametrize(
    "token",
    [
        forged_token(3),
        unsigned_token(3),
        old_backend_token(3, secret="another-secret-that-is-long-enough-for-hs256"),
        "",
        "abc",
        "a.b.c",
    ],
    ids=["forged", "alg-none", "other-secret", "empty", "garbage", "three-parts"],
)
def test_bad_tokens_are_not_logged_in(token):
    assert auth_token_member_id(token=token) is None
