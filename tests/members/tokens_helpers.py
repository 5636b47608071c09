"""Tokens as other issuers wrote them: the TypeScript backend, a forger, a past self."""

from __future__ import annotations

import time

import jwt
from django.conf import settings


def old_backend_token(member_id: int, *, expires_in_seconds: int = 3600, secret: str | None = None) -> str:
    """What the TypeScript backend issued: HS256, type 0, exp in milliseconds, no iat."""
    exp_ms = int((time.time() + expires_in_seconds) * 1000)
    payload = {"memberId": member_id, "type": 0, "exp": exp_ms}
    return jwt.encode(payload, secret or settings.APP_SECRET_KEY, algorithm="HS256")


def forged_token(member_id: int) -> str:
    return jwt.encode(
        {"memberId": member_id, "type": 0, "exp": int(time.time()) + 3600},
        "not-the-secret-of-this-server-but-long-enough",
        algorithm="HS256",
    )


def unsigned_token(member_id: int) -> str:
    return jwt.encode(
        {"memberId": member_id, "type": 0, "exp": int(time.time()) + 3600}, None, algorithm="none"
    )
