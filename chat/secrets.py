"""Channel URLs at rest: Fernet-encrypted, because each one carries a service token.

The key is CHAT_ENCRYPTION_KEY (a Fernet key; several, comma-separated, to rotate: the first
encrypts, all decrypt), or else derived from APP_SECRET_KEY with HKDF, so a deployment works
without one more secret and a copy of the database alone reveals no token.
"""

from __future__ import annotations

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

DERIVATION_INFO = b"pioneer-notify chat channel urls"


def derived_key(secret: str) -> bytes:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=DERIVATION_INFO).derive(secret.encode())
    return base64.urlsafe_b64encode(raw)


@cache
def _fernet(keys: str, secret: str) -> MultiFernet:
    parts = [key.strip() for key in keys.split(",") if key.strip()]
    return MultiFernet([Fernet(key) for key in parts] or [Fernet(derived_key(secret))])


def _current() -> MultiFernet:
    return _fernet(settings.CHAT_ENCRYPTION_KEY, settings.SECRET_KEY)


def url_encrypt(url: str) -> str:
    return _current().encrypt(url.encode()).decode()


def url_decrypt(token: str) -> str:
    """The URL; raises ValueError when no configured key opens it (the key was changed)."""
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ValueError("the channel URL cannot be decrypted with CHAT_ENCRYPTION_KEY") from None
