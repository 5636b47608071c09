"""Signed links in emails (unsubscribe, preferences), made as cheaply as the delivery needs them.

Every notification email carries two links, each a token signed with Django's signing and a
path from reverse(). Per email that was two Signer objects and two walks of the URL resolver,
most of the CPU a delivery spends on an email beside the provider call. Here the signer of a
salt is made once (per SECRET_KEY), and the path around the token is reversed once per URL
name (and script prefix, and URLconf); the token is then put between the two halves. The
results are the very strings `signing.dumps` and `reverse` make (tests/emails/test_signed_links.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.urls import get_script_prefix, get_urlconf, reverse

# What signing.dumps makes (URL-safe base64, ":" between the parts, "." before a compressed
# value): reverse() leaves these characters as they are (no quoting).
_TOKEN = re.compile(r"[A-Za-z0-9_\-.:]+")
_PROBE = "pioneer-token-probe"


@lru_cache(maxsize=32)
def _signer(salt: str, key: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(key=key, salt=salt)


def signed_token(payload, *, salt: str, compress: bool = False) -> str:
    """signing.dumps(payload, salt=salt, compress=compress), with the salt's signer made once."""
    return _signer(salt, settings.SECRET_KEY).sign_object(payload, compress=compress)


@lru_cache(maxsize=32)
def _around_token(name: str, script_prefix: str, urlconf) -> tuple[str, str]:
    head, probe, tail = reverse(name, urlconf=urlconf, kwargs={"token": _PROBE}).partition(_PROBE)
    if not probe:
        raise ValueError(f"the URL named {name!r} does not hold its token as it is")
    return head, tail


def token_link(name: str, token: str) -> str:
    """settings.PUBLIC_URL + reverse(name, kwargs={"token": token})."""
    if not _TOKEN.fullmatch(token):  # anything else is left to reverse() (quoting, checks)
        return f"{settings.PUBLIC_URL}{reverse(name, kwargs={'token': token})}"
    head, tail = _around_token(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return f"{settings.PUBLIC_URL}{head}{token}{tail}"
