"""Pure checks and derivations the settings module runs at start-up (no Django imports: the
settings are not configured yet when they run)."""

from __future__ import annotations

import hashlib
import ipaddress
import math
import re
from collections import Counter
from urllib.parse import urlsplit

# A key is judged by what it looks like: its length times the entropy of its own character
# frequencies (32 random hex digits score 90 or more), and how often it repeats itself (most
# of its three-character pieces must differ: "abcdefgh" four times scores 96 bits but fails).
SECRET_KEY_MIN_BITS = 80
SECRET_KEY_MIN_DISTINCT_TRIGRAMS = 0.5
SECRET_KEY_MIN_LENGTH = 32
RATE_PATTERN = re.compile(r"^\d+/\d*[smhd]$")
# Without a backoff every run retries; the span rule then means nothing, and this many stay.
RETRY_COUNT_WITHOUT_BACKOFF = 3


def secret_key_entropy_bits(key: str) -> float:
    if not key:
        return 0.0
    counts = Counter(key)
    per_character = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    return per_character * len(key)


def secret_key_problem(key: str, *, dev_key: str) -> str | None:
    """Why `key` cannot sign production tokens, or None."""
    if not key.strip() or key == dev_key:
        return "must be set to a secret value"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"must be at least {SECRET_KEY_MIN_LENGTH} characters"
    trigrams = [key[i : i + 3] for i in range(len(key) - 2)]
    repetitive = len(set(trigrams)) < SECRET_KEY_MIN_DISTINCT_TRIGRAMS * len(trigrams)
    if repetitive or secret_key_entropy_bits(key) < SECRET_KEY_MIN_BITS:
        return "is too predictable (repeated or few distinct characters); use e.g. `openssl rand -hex 32`"
    return None


def django_secret_key(app_secret_key: str) -> str:
    """Django's SECRET_KEY, derived so that it differs from the token key and is 128 characters."""
    return hashlib.sha512(b"pioneer-django-secret-key:" + app_secret_key.encode()).hexdigest()


def https_url_problem(url: str) -> str | None:
    """Why `url` is not a full https URL with a host, or None."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "not a URL"
    if parts.scheme != "https":
        return "it must start with https://"
    if not host:
        return "it has no host name"
    return None


def rate_is_valid(rate: str) -> bool:
    """A rate of django-ratelimit ("60/m", "5/h", "3/d", "10/5m"), or empty for no limit."""
    return rate == "" or bool(RATE_PATTERN.match(rate))


def retry_count_spanning(*, seconds: float, first: float, cap: float) -> int:
    """The fewest retries whose shortest possible waits (half of each backoff, the rest being
    jitter; see notifications.sending.email_retry_backoff) add up to `seconds`."""
    if first <= 0:
        return RETRY_COUNT_WITHOUT_BACKOFF
    total, count = 0.0, 0
    while total < seconds:
        count += 1
        total += min(first * 2 ** (count - 1), max(cap, first)) / 2
    return count


def trusted_proxy_networks(entries: list[str]) -> list:
    """Parse TRUSTED_PROXIES (addresses or networks); ValueError names a bad entry."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"{entry!r} is not an IP address or network") from exc
    return networks
