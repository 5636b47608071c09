"""JSON Web Tokens for members, signed with APP_SECRET_KEY through django-graphql-jwt.

Two token types share one signing key and can never stand in for each other:
authentication tokens (type 0, as the TypeScript backend issued them) and
email-verification tokens (type 1, bound to one member and one address).
"""

from __future__ import annotations

import time
from enum import IntEnum

import jwt
from django.conf import settings
from graphql_jwt.settings import jwt_settings

from members.models import Member

# The TypeScript backend wrote `exp` in milliseconds; any exp this large cannot be seconds.
_MILLISECOND_EXP_THRESHOLD = 10**11


class TokenType(IntEnum):
    AUTH = 0
    EMAIL_VERIFICATION = 1


class TokenError(Exception):
    """The token is missing, malformed, forged, expired or of the wrong type."""


def token_issue(*, payload: dict, ttl_seconds: int) -> str:
    now = int(time.time())
    claims = {**payload, "iat": now, "exp": now + ttl_seconds}
    return jwt_settings.JWT_ENCODE_HANDLER(claims)


def token_decode(*, token: str, token_type: TokenType) -> dict:
    """Verify signature, expiry and type; return the payload or raise TokenError."""
    if not token or not isinstance(token, str):
        raise TokenError("missing token")
    try:
        payload = jwt_settings.JWT_DECODE_HANDLER(token)
    except jwt.PyJWTError as exc:
        raise TokenError(str(exc)) from exc
    exp = payload.get("exp")
    if not isinstance(exp, int | float):
        raise TokenError("token has no expiry")
    exp_seconds = exp / 1000 if exp > _MILLISECOND_EXP_THRESHOLD else exp
    if exp_seconds <= time.time():
        raise TokenError("token expired")
    if payload.get("type") != int(token_type):
        raise TokenError("wrong token type")
    if not isinstance(payload.get("memberId"), int) or isinstance(payload.get("memberId"), bool):
        raise TokenError("token has no member id")
    return payload


def auth_token_issue(*, member_id: int) -> str:
    return token_issue(
        payload={"memberId": int(member_id), "type": int(TokenType.AUTH)},
        ttl_seconds=settings.AUTH_TOKEN_TTL_DAYS * 86400,
    )


def auth_token_member_id(*, token: str) -> int | None:
    try:
        return token_decode(token=token, token_type=TokenType.AUTH)["memberId"]
    except TokenError:
        return None


def email_verification_token_issue(*, member_id: int, email: str) -> str:
    """A token proving control of `email`, for one member; it carries the address so that
    a later change of address makes every earlier link useless."""
    return token_issue(
        payload={"memberId": int(member_id), "type": int(TokenType.EMAIL_VERIFICATION), "email": email},
        ttl_seconds=settings.EMAIL_VERIFICATION_TTL_DAYS * 86400,
    )


def email_verification_token_read(*, token: str) -> tuple[int, str]:
    """(member id, email) of a valid email-verification token; raise TokenError otherwise."""
    payload = token_decode(token=token, token_type=TokenType.EMAIL_VERIFICATION)
    email = payload.get("email")
    if not isinstance(email, str) or not email:
        raise TokenError("token has no email")
    return payload["memberId"], email


def bearer_token(request) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def member_id_from_request(request) -> int | None:
    """The member id of the request's bearer token, checked but not looked up; None for any bad
    or absent token."""
    return auth_token_member_id(token=bearer_token(request))


def member_get(member_id: int | None) -> Member | None:
    """The registered member with this id (from member_id_from_request), or None."""
    if member_id is None:
        return None
    return Member.objects.filter(pk=member_id).first()
